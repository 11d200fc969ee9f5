using System.Text;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Specs.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// Nothing is skipped silently: a message that cannot be read is quarantined with the reason, the rest of the folder
/// is imported, it is tried again on the next runs up to a bound, and a user's Retry tries it again after that.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class when_a_message_cannot_be_imported(ProductFixture product)
{
    /// <summary>No header at all: an empty line, then text. No mail program can read it as a message.</summary>
    private static readonly byte[] Broken = Encoding.ASCII.GetBytes("\r\nThis is not a mail message: it has no header at all.\r\n");

    [Fact]
    public async Task it_is_quarantined_with_the_reason_and_the_rest_of_the_folder_is_imported()
    {
        using var account = await product.ImportingAccountAsync();
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Before")]);
        await product.WriteRawAsync(account.Mailbox, "INBOX", [Broken]);
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("After")]);

        var runs = await product.ImportAsync(account.AccountId);

        runs.Sum(r => r.Imported).ShouldBe(2);
        runs.Sum(r => r.Quarantined).ShouldBe(1);
        (await product.LettersAsync(account.AccountId)).Select(l => l.Headers.Subject).Order().ShouldBe(["After", "Before"]);
        var quarantined = (await product.QuarantinedAsync(account.AccountId)).ShouldHaveSingleItem();
        quarantined.Reason.ShouldContain("no header");
        quarantined.Attempts.ShouldBe(1);
        quarantined.Place.Folder.ShouldBe("INBOX");
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await ImportedMail.QuarantinedAsync(session, account.Actor, CancellationToken.None)).ShouldHaveSingleItem().Id.ShouldBe(quarantined.Id);
        (await ImportedMail.ProgressAsync(session, account.Actor, CancellationToken.None)).ShouldHaveSingleItem().Waiting.ShouldBe(1);
    }

    [Fact]
    public async Task it_is_tried_again_up_to_the_bound_and_after_that_only_when_a_user_asks()
    {
        using var account = await product.ImportingAccountAsync();
        await product.WriteRawAsync(account.Mailbox, "INBOX", [Broken]);

        for (var run = 1; run <= ImportRules.MaxAttempts + 1; run++)
        {
            await product.ImportAsync(account.AccountId);
        }

        var given = (await product.QuarantinedAsync(account.AccountId)).ShouldHaveSingleItem();
        given.Attempts.ShouldBe(ImportRules.MaxAttempts, "the run after the last attempt leaves it alone");
        given.Due.ShouldBeFalse();

        await using (var scope = product.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<Commands>().InvokeAsync(new RetryQuarantined(account.Actor, given.Id), CancellationToken.None);
            outcome.Succeeded.ShouldBeTrue();
        }

        // The retry queues the account's import; it fails again, and says so with a fresh count.
        var retried = await when_a_folder_is_imported.EventuallyAsync(
            () => product.QuarantinedAsync(account.AccountId), q => q.Single() is { RetryAsked: false, Attempts: 1 });
        retried.Single().LetterId.ShouldBeNull();
    }

    [Fact]
    public async Task a_quarantined_message_that_reads_on_a_later_try_is_imported_and_leaves_the_quarantine()
    {
        using var account = await product.ImportingAccountAsync();
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Readable now")]);
        await product.ImportAsync(account.AccountId);
        var letter = (await product.LettersAsync(account.AccountId)).ShouldHaveSingleItem();
        var place = letter.Places.Single();
        // As if an earlier run had failed on it (the database refused it, say) after the cursor passed it; the letter goes.
        await using (var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            await new ImportBatch(session, account.UserId, DateTimeOffset.UtcNow).QuarantineAsync(place, "The database refused it", CancellationToken.None);
            await session.SaveChangesAsync();
        }

        // The folder is unchanged, but a quarantined message is due: the folder is read again for it.
        await product.ImportAsync(account.AccountId);

        var resolved = (await product.QuarantinedAsync(account.AccountId)).ShouldHaveSingleItem();
        resolved.LetterId.ShouldBe(letter.Id);
        await using var query = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await ImportedMail.QuarantinedAsync(query, account.Actor, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_message_above_the_size_limit_keeps_its_header_and_structure_and_is_opened_on_the_server()
    {
        using var account = await product.ImportingAccountAsync();
        var large = Importing.Message("Large");
        var builder = new MimeKit.BodyBuilder { TextBody = "See the drawing." };
        builder.Attachments.Add("drawing.bin", new byte[200_000], MimeKit.ContentType.Parse("application/octet-stream"));
        large.Body = builder.ToMessageBody();
        await product.AppendAsync(account.Mailbox, "INBOX", [large, Importing.Message("Small")]);
        var limited = product.Engine(new ImportOptions { MaxMessageBytes = 100_000 });

        await product.ImportAsync(account.AccountId, limited);

        var letters = await product.LettersAsync(account.AccountId);
        var kept = letters.Single(l => l.Headers.Subject == "Large");
        kept.TooLarge.ShouldBeTrue();
        kept.Attachments.ShouldHaveSingleItem().ShouldSatisfyAllConditions(a => a.Name.ShouldBe("drawing.bin"), a => a.Size.ShouldBe(200_000));
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        (await ImportedMail.RawAsync(session, kept, CancellationToken.None)).ShouldBeNull();
        (await ImportedMail.AttachmentAsync(session, kept, 0, CancellationToken.None)).ShouldBeNull();
        letters.Single(l => l.Headers.Subject == "Small").TooLarge.ShouldBeFalse();
    }
}
