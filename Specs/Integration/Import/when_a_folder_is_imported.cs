using Marten;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Wolverine;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// Import against the private Dovecot: every message of the import folders comes into the system once, exactly as the
/// server holds it, and the server is never changed; a second run fetches nothing; new mail comes with the next check.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class when_a_folder_is_imported(ProductFixture product)
{
    [Fact]
    public async Task a_message_larger_than_a_range_is_fetched_in_ranges_and_imported_as_the_server_holds_it()
    {
        using var account = await product.ImportingAccountAsync();
        var large = Importing.Message("Drawings");
        var builder = new BodyBuilder { TextBody = "The drawings are attached." };
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(7_000_000);
        builder.Attachments.Add("drawings.bin", content, ContentType.Parse("application/octet-stream"));
        large.Body = builder.ToMessageBody();
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Before"), large, Importing.Message("After")]);
        var server = await product.ServerCopyAsync(account.Mailbox, "INBOX");
        server.Values.Max(c => c.Raw.Length).ShouldBeGreaterThan(2 * MailAccounts.Infrastructure.Mail.Mailboxes.ImapMailbox.RangeBytes, "three ranges at least");

        var imported = await product.ImportAsync(account.AccountId);

        imported.Sum(r => r.Imported).ShouldBe(3);
        var letters = await product.LettersAsync(account.AccountId);
        foreach (var (uid, copy) in server)
        {
            var letter = letters.Single(l => l.Places.Single().Uid == uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            (await product.StoredRawAsync(letter)).ShouldBe(copy.Raw, $"UID {uid} is stored as the server holds it");
        }

        letters.Single(l => l.Headers.Subject == "Drawings").Attachments.ShouldHaveSingleItem().Size.ShouldBe(content.Length);
        (await product.ImportAsync(account.AccountId)).Sum(r => r.Fetched).ShouldBe(0);
    }

    [Fact]
    public async Task every_message_is_imported_as_the_server_holds_it_and_a_second_run_fetches_nothing()
    {
        using var account = await product.ImportingAccountAsync();
        var withAttachment = Importing.Message("Invoice 42");
        var builder = new BodyBuilder { TextBody = "The invoice is attached." };
        builder.Attachments.Add("invoice.pdf", Enumerable.Range(0, 5000).Select(i => (byte)(i % 251)).ToArray(), ContentType.Parse("application/pdf"));
        withAttachment.Body = builder.ToMessageBody();
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("First"), Importing.Message("Second"), withAttachment]);
        var server = await product.ServerCopyAsync(account.Mailbox, "INBOX");

        var first = await product.ImportAsync(account.AccountId);

        first.Sum(r => r.Imported).ShouldBe(3);
        var letters = await product.LettersAsync(account.AccountId);
        letters.Count.ShouldBe(3);
        foreach (var (uid, copy) in server)
        {
            var letter = letters.Single(l => l.Places.Single().Uid == uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            (await product.StoredRawAsync(letter)).ShouldBe(copy.Raw, $"UID {uid} is stored as the server holds it");
        }

        var invoice = letters.Single(l => l.Headers.Subject == "Invoice 42");
        invoice.Attachments.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            a => a.Name.ShouldBe("invoice.pdf"), a => a.ContentType.ShouldBe("application/pdf"), a => a.Size.ShouldBe(5000));
        invoice.Headers.From.ShouldContain("boris@specs.test");
        invoice.Places.ShouldHaveSingleItem().AccountId.ShouldBe(account.AccountId);

        var second = await product.ImportAsync(account.AccountId);
        second.Sum(r => r.Fetched).ShouldBe(0);
        second.Sum(r => r.SkippedFolders).ShouldBe(1, "an unchanged folder is skipped on its STATUS, without SELECT");
        (await product.LettersAsync(account.AccountId)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task the_flags_of_every_message_are_the_same_before_and_after()
    {
        using var account = await product.ImportingAccountAsync();
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Unread")]);
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Read")], MessageFlags.Seen);
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Flagged")], MessageFlags.Flagged);
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Answered")], MessageFlags.Answered | MessageFlags.Seen);
        var before = (await product.ServerCopyAsync(account.Mailbox, "INBOX")).ToDictionary(m => m.Key, m => m.Value.Flags);
        before.Values.Count(f => !f.HasFlag(MessageFlags.Seen)).ShouldBe(2, "two messages are unread before the import");

        (await product.ImportAsync(account.AccountId)).Sum(r => r.Imported).ShouldBe(4);

        var after = (await product.ServerCopyAsync(account.Mailbox, "INBOX")).ToDictionary(m => m.Key, m => m.Value.Flags);
        after.ShouldBe(before, "import reads with BODY.PEEK and sets or clears no flag");
    }

    [Fact]
    public async Task new_mail_is_imported_by_the_scheduled_check()
    {
        using var account = await product.ImportingAccountAsync();
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Before the check")]);
        await product.ImportAsync(account.AccountId);
        await product.DeliverAsync(account.Mailbox, [Importing.Message("Arrived later")]);

        var interval = new Dictionary<string, string>
        {
            ["Input.CheckIntervalMinutes"] = "5", ["Input.PlainText"] = "false", ["Input.Charset"] = "utf-8", ["Input.DefaultSignatureId"] = "",
            ["Input.SignatureBeforeQuote"] = "false", ["Input.PageSize"] = "50",
        };
        await account.User.Session.SubmitAsync("/Email/Settings/General", interval);
        DateTimeOffset chain;
        await using (var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            chain = (await MailSettingsQueries.ForUserAsync(session, account.UserId, CancellationToken.None)).CheckIntervalChangedAt!.Value;
        }

        var mark = product.Logs.Mark;
        await using (var scope = product.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new CheckMail(account.UserId, 5, chain, chain.AddMinutes(5)));
        }

        // The check queued the import on the durable import queue; it runs there, not in the check.
        var letters = await EventuallyAsync(() => product.LettersAsync(account.AccountId), l => l.Count == 2, why: async () => await StateAsync(account.AccountId) + product.Logs.WarningsSince(mark));
        letters.Select(l => l.Headers.Subject).Order().ShouldBe(["Arrived later", "Before the check"]);
        letters.Single(l => l.Headers.Subject == "Arrived later").Places.ShouldHaveSingleItem().Uid.ShouldBe("2");
    }

    [Fact]
    public async Task only_the_folders_chosen_for_import_are_imported()
    {
        using var account = await product.ImportingAccountAsync(folders: ["Projects"]);
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("In the inbox")]);
        await product.AppendAsync(account.Mailbox, "Projects", [Importing.Message("In projects")]);

        await product.ImportAsync(account.AccountId);

        var letter = (await product.LettersAsync(account.AccountId)).ShouldHaveSingleItem();
        letter.Headers.Subject.ShouldBe("In projects");
        letter.Places.ShouldHaveSingleItem().Folder.ShouldBe("Projects");
    }

    [Fact]
    public async Task mail_from_the_first_day_on_is_imported_and_moving_the_day_back_fills_in_the_older_mail()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var account = await product.ImportingAccountAsync(since: today.AddDays(-30));
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Last year")], arrived: DateTimeOffset.UtcNow.AddDays(-365));
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Last week")], arrived: DateTimeOffset.UtcNow.AddDays(-7));

        await product.ImportAsync(account.AccountId);
        (await product.LettersAsync(account.AccountId)).ShouldHaveSingleItem().Headers.Subject.ShouldBe("Last week");
        (await product.ImportAsync(account.AccountId)).Sum(r => r.Fetched).ShouldBe(0);

        await product.ChooseImportAsync(account.AccountId, account.UserId, true, since: null);
        var filled = await product.ImportAsync(account.AccountId);

        filled.Sum(r => r.Fetched).ShouldBe(1, "only the older message is fetched");
        (await product.LettersAsync(account.AccountId)).Select(l => l.Headers.Subject).Order().ShouldBe(["Last week", "Last year"]);
    }

    [Fact]
    public async Task an_account_with_import_off_imports_nothing()
    {
        using var account = await product.ImportingAccountAsync(on: false);
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Stays on the server")]);

        await product.Services.GetRequiredService<ImportEngine>().ImportAccountAsync(account.AccountId, account.UserId, CancellationToken.None);

        (await product.LettersAsync(account.AccountId)).ShouldBeEmpty();
    }

    /// <summary>What the check and the import recorded, to say why an import did not happen.</summary>
    private async Task<string> StateAsync(Guid accountId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var statuses = await session.Query<MailAccounts.Infrastructure.Mail.MailboxStatus>().Where(m => m.Id == accountId).ToListAsync();
        return System.Text.Json.JsonSerializer.Serialize(await session.LoadAsync<ImportProgress>(accountId)) + System.Text.Json.JsonSerializer.Serialize(statuses);
    }

    internal static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, int seconds = 30, Func<Task<string>>? why = null)
    {
        var value = await read();
        for (var attempt = 0; attempt < seconds * 5 && !done(value); attempt++)
        {
            await Task.Delay(200);
            value = await read();
        }

        done(value).ShouldBeTrue($"not reached within {seconds} s: {System.Text.Json.JsonSerializer.Serialize(value)} {(why is null ? "" : await why())}");
        return value;
    }
}
