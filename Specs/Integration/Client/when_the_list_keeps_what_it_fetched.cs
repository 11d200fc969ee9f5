using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Specs.Support;
using MailKit;

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
    private readonly CountedReading _reading = new(product);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _reading.DisposeAsync();

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
        var (account, mailbox) = await _reading.AccountWithMailAsync(5);
        var reader = _reading.Reader();
        (await ListAsync(reader, account, mailbox)).Rows.Count.ShouldBe(5);
        _reading.Counter.FetchedInFull.ShouldBe(5);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.AppendAsync(new AppendRequest(CountedReading.Message("Message 6"), MessageFlags.None, DateTimeOffset.UtcNow.AddMinutes(1)));
        }

        var before = _reading.Counter.FetchedInFull;
        var page = await ListAsync(reader, account, mailbox);

        (_reading.Counter.FetchedInFull - before).ShouldBe(1);
        page.Rows.Select(r => r.Subject).ShouldBe(["Message 6", "Message 5", "Message 4", "Message 3", "Message 2", "Message 1"]);
        page.Rows.Select(r => r.Preview).ShouldBe(Enumerable.Range(1, 6).Reverse().Select(i => $"Hello Message {i}"));
    }

    [Fact]
    public async Task a_flag_changed_elsewhere_shows_on_the_next_list()
    {
        var (account, mailbox) = await _reading.AccountWithMailAsync(3);
        var reader = _reading.Reader();
        (await ListAsync(reader, account, mailbox)).Rows.ShouldAllBe(r => !r.Seen && !r.Flagged);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.StoreAsync(new UniqueId(2), new StoreFlagsRequest(StoreAction.Add, MessageFlags.Flagged | MessageFlags.Seen) { Silent = true });
        }

        var before = _reading.Counter.FetchedInFull;
        var page = await ListAsync(reader, account, mailbox);

        var second = page.Rows.Single(r => r.Id == "2");
        second.Flagged.ShouldBeTrue();
        second.Seen.ShouldBeTrue();
        page.Rows.Where(r => r.Id != "2").ShouldAllBe(r => !r.Seen && !r.Flagged);
        (_reading.Counter.FetchedInFull - before).ShouldBe(0);
    }

    [Fact]
    public async Task an_expunged_message_disappears_from_the_next_list()
    {
        var (account, mailbox) = await _reading.AccountWithMailAsync(3);
        var reader = _reading.Reader();
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
        var (account, mailbox) = await _reading.AccountWithMailAsync(2, "Projects");
        (await ListAsync(_reading.Reader(), account, mailbox, "Projects")).Rows.Select(r => r.Subject).ShouldBe(["Message 2", "Message 1"]);
        using (var client = await product.SignInAsync(mailbox))
        {
            var old = await client.GetFolderAsync("Projects");
            await old.DeleteAsync();
            var remade = await CountedReading.CreateAsync(client, "Projects");
            // Arrival order is the internal date: one minute apart, so that the order is not a tie.
            await remade.AppendAsync(new AppendRequest(CountedReading.Message("Renewed 1"), MessageFlags.None, DateTimeOffset.UtcNow.AddMinutes(-1)));
            await remade.AppendAsync(new AppendRequest(CountedReading.Message("Renewed 2"), MessageFlags.None, DateTimeOffset.UtcNow));
        }

        // A new connection (the kept one had the old folder selected), the same kept rows.
        await using var pool = new MailConnectionPool(new MailOptions { IdleConnectionSeconds = 60 });
        var before = _reading.Counter.FetchedInFull;
        var page = await ListAsync(_reading.Reader(pool), account, mailbox, "Projects");

        page.Rows.Select(r => r.Subject).ShouldBe(["Renewed 2", "Renewed 1"]);
        (_reading.Counter.FetchedInFull - before).ShouldBe(2);
    }
}
