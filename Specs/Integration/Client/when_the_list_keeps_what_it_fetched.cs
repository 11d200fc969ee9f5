using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.Client;

/// <summary>
/// The message list keeps per UID what a page fetched (sender, subject, attachment mark, preview) for the folder's
/// UIDVALIDITY: after new mail only the new messages are fetched in full, the rest by their flags (CONDSTORE
/// CHANGEDSINCE on Dovecot). What it keeps never hides a change: flags set elsewhere, expunged messages and a folder
/// made anew all show on the next list. The fetches are counted by the protocol logger each connection gets.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_the_list_keeps_what_it_fetched(ProductFixture product) : IAsyncLifetime
{
    private readonly MailCommandCounter _counter = new();
    private readonly MailConnectionPool _pool = new(new MailOptions { IdleConnectionSeconds = 60 });
    private readonly ListingCache _listings = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _pool.DisposeAsync();

    private MailSessions Reader(MailConnectionPool? pool = null) => new(
        product.Services.GetRequiredService<MailConnector>(), product.Services.GetRequiredService<SecretVault>(), pool ?? _pool,
        product.Services.GetRequiredService<MailOptions>())
    {
        ProtocolLoggers = _counter.NewLogger,
        Listings = _listings,
    };

    private static MimeMessage Message(string subject)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        message.Body = new TextPart("plain") { Text = "Hello " + subject };
        return message;
    }

    private async Task<(Account Account, Mailbox Mailbox)> AccountWithMailAsync(int count, string folder = "INBOX")
    {
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            var target = folder == "INBOX" ? client.Inbox : await CreateAsync(client, folder);
            for (var i = 1; i <= count; i++)
            {
                await target.AppendAsync(new AppendRequest(Message($"Message {i}"), MessageFlags.None, DateTimeOffset.UtcNow.AddMinutes(i - count)));
            }
        }

        var endpoints = product.MailServer.Endpoints;
        var account = new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Cached", "Cached", mailbox.Address,
            new IncomingSettings(IncomingProtocol.Imap, endpoints.Host, endpoints.Imaps, TransportSecurity.SslOnConnect, mailbox.Address, Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
        return (account, mailbox);
    }

    private static async Task<IMailFolder> CreateAsync(MailKit.Net.Imap.ImapClient client, string name) =>
        (await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync(name, true))!;

    private static async Task<MessagePage> ListAsync(MailSessions reader, Account account, Mailbox mailbox, string folder = "INBOX")
    {
        var work = await reader.UseAsync(account, _ => Task.FromResult<string?>(mailbox.Password),
            m => m.ListingAsync([], folder, 1, 50, CancellationToken.None), CancellationToken.None);
        work.Succeeded.ShouldBeTrue(work.Problem);
        return work.Value!.Page;
    }

    [Fact]
    public async Task after_new_mail_only_the_new_message_is_fetched_in_full()
    {
        var (account, mailbox) = await AccountWithMailAsync(5);
        var reader = Reader();
        (await ListAsync(reader, account, mailbox)).Rows.Count.ShouldBe(5);
        _counter.FetchedInFull.ShouldBe(5);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.AppendAsync(new AppendRequest(Message("Message 6"), MessageFlags.None, DateTimeOffset.UtcNow.AddMinutes(1)));
        }

        var before = _counter.FetchedInFull;
        var page = await ListAsync(reader, account, mailbox);

        (_counter.FetchedInFull - before).ShouldBe(1);
        page.Rows.Select(r => r.Subject).ShouldBe(["Message 6", "Message 5", "Message 4", "Message 3", "Message 2", "Message 1"]);
        page.Rows.Select(r => r.Preview).ShouldBe(Enumerable.Range(1, 6).Reverse().Select(i => $"Hello Message {i}"));
    }

    [Fact]
    public async Task a_flag_changed_elsewhere_shows_on_the_next_list()
    {
        var (account, mailbox) = await AccountWithMailAsync(3);
        var reader = Reader();
        (await ListAsync(reader, account, mailbox)).Rows.ShouldAllBe(r => !r.Seen && !r.Flagged);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.StoreAsync(new UniqueId(2), new StoreFlagsRequest(StoreAction.Add, MessageFlags.Flagged | MessageFlags.Seen) { Silent = true });
        }

        var before = _counter.FetchedInFull;
        var page = await ListAsync(reader, account, mailbox);

        var second = page.Rows.Single(r => r.Id == "2");
        second.Flagged.ShouldBeTrue();
        second.Seen.ShouldBeTrue();
        page.Rows.Where(r => r.Id != "2").ShouldAllBe(r => !r.Seen && !r.Flagged);
        (_counter.FetchedInFull - before).ShouldBe(0);
    }

    [Fact]
    public async Task an_expunged_message_disappears_from_the_next_list()
    {
        var (account, mailbox) = await AccountWithMailAsync(3);
        var reader = Reader();
        (await ListAsync(reader, account, mailbox)).Rows.Count.ShouldBe(3);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.StoreAsync(new UniqueId(2), new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
            await client.Inbox.ExpungeAsync();
        }

        var page = await ListAsync(reader, account, mailbox);

        page.Rows.Select(r => r.Subject).ShouldBe(["Message 3", "Message 1"]);
        page.Total.ShouldBe(2);
    }

    /// <summary>
    /// A folder deleted and made again under its name gets a new UIDVALIDITY, and its messages start at UID 1 again: the
    /// rows kept for the old UIDs must not show as the new messages.
    /// </summary>
    [Fact]
    public async Task a_folder_with_a_new_uidvalidity_is_fetched_anew()
    {
        var (account, mailbox) = await AccountWithMailAsync(2, "Projects");
        (await ListAsync(Reader(), account, mailbox, "Projects")).Rows.Select(r => r.Subject).ShouldBe(["Message 2", "Message 1"]);
        using (var client = await product.SignInAsync(mailbox))
        {
            var old = await client.GetFolderAsync("Projects");
            await old.DeleteAsync();
            var remade = await CreateAsync(client, "Projects");
            // Arrival order is the internal date: one minute apart, so that the order is not a tie.
            await remade.AppendAsync(new AppendRequest(Message("Renewed 1"), MessageFlags.None, DateTimeOffset.UtcNow.AddMinutes(-1)));
            await remade.AppendAsync(new AppendRequest(Message("Renewed 2"), MessageFlags.None, DateTimeOffset.UtcNow));
        }

        // A new connection (the kept one had the old folder selected), the same kept rows.
        await using var pool = new MailConnectionPool(new MailOptions { IdleConnectionSeconds = 60 });
        var before = _counter.FetchedInFull;
        var page = await ListAsync(Reader(pool), account, mailbox, "Projects");

        page.Rows.Select(r => r.Subject).ShouldBe(["Renewed 2", "Renewed 1"]);
        (_counter.FetchedInFull - before).ShouldBe(2);
    }
}
