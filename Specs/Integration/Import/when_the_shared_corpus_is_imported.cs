using Microsoft.Extensions.DependencyInjection;
using MailAccounts.Domain.Import;
using MailAccounts.Specs.Support;
using Xunit.Abstractions;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// The shared corpus of real-world odd messages (read in place from ../shared/corpus/messages, never copied into the
/// repository), written into a Dovecot folder and imported: every message the server holds is imported byte-identical
/// to what the server serves, or quarantined with a reason; none is lost, and copies with the same key are one letter.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class when_the_shared_corpus_is_imported(ProductFixture product, ITestOutputHelper output)
{
    [Fact]
    public async Task every_message_is_imported_byte_identical_or_quarantined_with_a_reason()
    {
        // The corpus's index names its messages (whatever their file names end in), one line each after the heading.
        var folder = SharedCorpus.Folder("messages");
        var files = File.ReadAllLines(Path.Combine(folder, "index.tsv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => Path.Combine(folder, l.Split('\t')[0])).ToArray();
        files.Length.ShouldBe(190);
        using var account = await product.ImportingAccountAsync(folders: ["Corpus"]);
        await product.WriteRawAsync(account.Mailbox, "Corpus", files.Select(File.ReadAllBytes));
        var server = await product.ServerCopyAsync(account.Mailbox, "Corpus");
        server.Count.ShouldBe(files.Length, "Dovecot holds every file");

        await product.ImportAsync(account.AccountId);

        var letters = await product.LettersAsync(account.AccountId);
        var quarantined = await product.QuarantinedAsync(account.AccountId);
        var byUid = letters.SelectMany(l => l.Places.Select(p => (p.Uid, Letter: l))).ToDictionary(p => uint.Parse(p.Uid), p => p.Letter);
        var identical = 0;
        foreach (var (uid, copy) in server)
        {
            if (byUid.TryGetValue(uid, out var letter))
            {
                // Copies that are one letter keep the bytes of the first one found; each is that letter by its key.
                var stored = await product.StoredRawAsync(letter);
                if (stored.AsSpan().SequenceEqual(copy.Raw))
                {
                    identical++;
                }
                else
                {
                    letter.Places.Count.ShouldBeGreaterThan(1, $"UID {uid} is stored with other bytes than the server serves");
                    LetterKey.ContentHash(new MemoryStream(stored)).ShouldBe(LetterKey.ContentHash(new MemoryStream(copy.Raw)));
                }
            }
            else
            {
                quarantined.Single(q => q.Place.Uid == uid.ToString(System.Globalization.CultureInfo.InvariantCulture)).Reason.ShouldNotBeNullOrWhiteSpace();
            }
        }

        var sharedIds = letters.Where(l => l.Headers.MessageId is not null).GroupBy(l => l.Headers.MessageId).Count(g => g.Count() > 1);
        output.WriteLine($"{server.Count} messages: {letters.Count} letters ({identical} stored byte-identical to their place, "
            + $"{letters.Count(l => l.Places.Count > 1)} found in more than one place), {quarantined.Count} quarantined, "
            + $"{sharedIds} Message-IDs shared by different letters, {letters.Count(l => l.Attachments.Count > 0)} with attachments, "
            + $"{await DetachedAsync(letters)} of them kept without their attachments' base64 text (read back from the attachments)");
        foreach (var q in quarantined)
        {
            output.WriteLine($"quarantined UID {q.Place.Uid}: {q.Reason}");
        }

        (byUid.Count + quarantined.Count).ShouldBe(server.Count, "every message is a letter's place or in quarantine");
        sharedIds.ShouldBeGreaterThan(0, "the corpus's messages that share a Message-ID but differ stay apart");
        (await product.ImportAsync(account.AccountId)).Sum(r => r.Imported).ShouldBe(0);
    }

    /// <summary>How many of the letters' raw messages are kept with parts taken out (and so were read back through them above).</summary>
    private async Task<long> DetachedAsync(IReadOnlyList<Letter> letters)
    {
        await using var session = product.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        await using var connection = await Infrastructure.Import.ImportedMail.DataSourceOf(session).OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select count(*) from {Infrastructure.Import.Configuration.RawTable} where detached is not null and sha256 = any($1)", connection)
        {
            Parameters = { new() { Value = letters.Select(l => l.RawSha256).ToArray() } },
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
