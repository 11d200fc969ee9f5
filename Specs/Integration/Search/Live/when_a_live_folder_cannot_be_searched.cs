using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Specs.Support;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Search.Live;

/// <summary>
/// A search over several folders shows what the others found when one folder fails (a folder that is not there), one
/// does not answer in time (a server that never speaks), or a server cannot take UTF-8 text (MailKit would force the
/// Cyrillic to ASCII and find other mail): each such folder is named with why, never searched for something else.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_a_live_folder_cannot_be_searched(ProductFixture product)
{
    private Account Silent() => new(
        Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Silent", "Silent", "silent@specs.test",
        new IncomingSettings(IncomingProtocol.Imap, "127.0.0.1", product.Misbehaving.SilentPort, TransportSecurity.SslOnConnect, "silent@specs.test", Guid.CreateVersion7()),
        null, Account.DefaultFolders, null, null, [], false);

    [Fact]
    public async Task a_missing_folder_and_a_silent_server_are_named_and_the_rest_is_shown()
    {
        var owner = await product.ImportingAccountAsync(on: false);
        await product.AppendAsync(owner.Mailbox, "INBOX", [Importing.Message("Found invoice")]);
        var account = (await product.AccountsOfAsync(owner.UserId)).Single(a => a.Id == owner.AccountId);
        var search = new LiveSearch(product.Services.GetRequiredService<MailSessions>(), product.Services.GetRequiredService<MailOptions>())
        {
            // Below the connection timeout, so the silent server is this search's time limit, not a failed connection.
            FolderTimeLimit = TimeSpan.FromSeconds(ProductFixture.TimeoutSeconds - 1),
        };
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var silent = Silent();

        var results = await search.SearchAsync(session,
            [new LiveTarget(account, "INBOX"), new LiveTarget(account, "No such folder"), new LiveTarget(silent, "INBOX")],
            QueryWords.Parse("invoice").Criteria!, 1, 50, CancellationToken.None);

        results.Rows.Select(r => r.Row.Subject).ShouldBe(["Found invoice"]);
        results.Problems.Select(p => (p.Account, p.Folder, p.Code)).ShouldBe(
            [(account.Title, "No such folder", LiveSearch.Failed), ("Silent", "INBOX", LiveSearch.TimedOut)], ignoreOrder: true);
    }

    [Fact]
    public async Task a_server_that_refused_utf8_text_gets_the_folder_named_and_ascii_text_still_searched()
    {
        var mailbox = await product.NewMailboxAsync();
        await product.AppendAsync(mailbox, "INBOX", [Importing.Message("Счёт"), Importing.Message("Invoice")]);
        using var client = await product.SignInAsync(mailbox);
        var imap = new ImapMailbox(client, MailSessions.ParsingFor("windows-1251"));
        var cyrillic = QueryWords.Parse("счёт").Criteria!;
        (await imap.SearchAsync("INBOX", cyrillic, 10, false, CancellationToken.None)).Total.ShouldBe(1);

        // What a server that answers BADCHARSET (US-ASCII) leaves on the connection.
        ImapCharsets.ForgetUtf8(client);

        var refused = await Should.ThrowAsync<SearchRefusedException>(() => imap.SearchAsync("INBOX", cyrillic, 10, false, CancellationToken.None));
        refused.Code.ShouldBe(SearchRefusedException.CharsetUnsupported);
        refused.Part.ShouldBe("счёт");
        (await imap.SearchAsync("INBOX", QueryWords.Parse("invoice").Criteria!, 10, false, CancellationToken.None)).Total.ShouldBe(1);
    }
}
