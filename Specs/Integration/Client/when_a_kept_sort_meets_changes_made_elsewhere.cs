using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Specs.Support;
using MailKit;

namespace MailAccounts.Specs.Integration.Client;

/// <summary>
/// A kept connection reuses its sort of the folder (NewestFirst) only while the folder provably holds the same
/// messages. Changes made over another connection must show on the next page, also where a cheaper check would miss
/// them: an expunge and new mail together leave the count as it was, and Dovecot answers a STATUS of the selected
/// folder (LIST-STATUS) and a UID FETCH from the folder as this connection last saw it, without the news (both were
/// tried as the change check, issue 15, and these facts failed).
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_a_kept_sort_meets_changes_made_elsewhere(ProductFixture product) : IAsyncLifetime
{
    private readonly CountedReading _reading = new(product);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _reading.DisposeAsync();

    private async Task AppendAsync(Mailbox mailbox, string subject)
    {
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.AppendAsync(new AppendRequest(CountedReading.Message(subject), MessageFlags.None, DateTimeOffset.UtcNow));
    }

    /// <summary>One list of the inbox on the pool's kept connection, and the IMAP commands it sent.</summary>
    private async Task<(Listing Listing, int Commands)> ListAsync(MailSessions reader, Account account, Mailbox mailbox)
    {
        var before = _reading.Counter.Commands;
        var work = await reader.UseAsync(account, _ => Task.FromResult<string?>(mailbox.Password),
            m => m.ListingAsync([], "INBOX", 1, 50, CancellationToken.None), CancellationToken.None);
        work.Succeeded.ShouldBeTrue(work.Problem);
        return (work.Value!, _reading.Counter.Commands - before);
    }

    [Fact]
    public async Task new_mail_shows_on_the_next_page_and_in_the_folder_count()
    {
        var (account, mailbox) = await _reading.AccountWithMailAsync(4);
        var reader = _reading.Reader();
        await ListAsync(reader, account, mailbox);
        await AppendAsync(mailbox, "Message 5");

        var (listing, _) = await ListAsync(reader, account, mailbox);

        listing.Page.Rows.Select(r => r.Subject).ShouldBe(["Message 5", "Message 4", "Message 3", "Message 2", "Message 1"]);
        listing.Page.Total.ShouldBe(5);
        listing.Folders.Single(f => f.FullName == "INBOX").Total.ShouldBe(5);
        _reading.Counter.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task new_mail_goes_on_top_of_the_kept_sort_without_sorting_the_folder_again()
    {
        var (account, mailbox) = await _reading.AccountWithMailAsync(4);
        var reader = _reading.Reader();
        await ListAsync(reader, account, mailbox);
        await AppendAsync(mailbox, "Message 5");
        var sorts = _reading.Counter.Sorts;

        var (listing, _) = await ListAsync(reader, account, mailbox);
        // A second later, so that it is the newest (in the same second it would come after 5: see below).
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.AppendAsync(new AppendRequest(CountedReading.Message("Message 6"), MessageFlags.None, DateTimeOffset.UtcNow.AddSeconds(2)));
        }

        var (again, _) = await ListAsync(reader, account, mailbox);

        listing.Page.Rows.Select(r => r.Subject).ShouldBe(["Message 5", "Message 4", "Message 3", "Message 2", "Message 1"]);
        again.Page.Rows.Select(r => r.Subject).ShouldBe(["Message 6", "Message 5", "Message 4", "Message 3", "Message 2", "Message 1"]);
        _reading.Counter.Sorts.ShouldBe(sorts, "new mail that arrived after the newest goes on top of the kept sort");
    }

    /// <summary>ARRIVAL is INTERNALDATE: a message appended with an earlier one is not the newest, and only a SORT knows its place.</summary>
    [Fact]
    public async Task mail_appended_with_an_earlier_arrival_is_sorted_into_its_place()
    {
        var (account, mailbox) = await _reading.AccountWithMailAsync(4);
        var reader = _reading.Reader();
        await ListAsync(reader, account, mailbox);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.AppendAsync(new AppendRequest(CountedReading.Message("Back-dated"), MessageFlags.None, DateTimeOffset.UtcNow.AddHours(-1)));
        }

        var (listing, _) = await ListAsync(reader, account, mailbox);

        listing.Page.Rows.Select(r => r.Subject).ShouldBe(["Message 4", "Message 3", "Message 2", "Message 1", "Back-dated"]);
    }

    /// <summary>
    /// Several new messages in the same second: ties keep the mailbox's order (RFC 5256), also under REVERSE, as the
    /// server's own SORT has them; one more in that second goes after them.
    /// </summary>
    [Fact]
    public async Task mail_arriving_in_the_same_second_is_in_the_order_the_servers_sort_gives()
    {
        var (account, mailbox) = await _reading.AccountWithMailAsync(2);
        var reader = _reading.Reader();
        await ListAsync(reader, account, mailbox);
        var second = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        using var client = await product.SignInAsync(mailbox);
        foreach (var subject in new[] { "Same second A", "Same second B" })
        {
            await client.Inbox.AppendAsync(new AppendRequest(CountedReading.Message(subject), MessageFlags.None, second));
        }

        await ListAsync(reader, account, mailbox);
        await client.Inbox.AppendAsync(new AppendRequest(CountedReading.Message("Same second C"), MessageFlags.None, second));
        var sorts = _reading.Counter.Sorts;
        var (listing, _) = await ListAsync(reader, account, mailbox);

        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var sorted = await client.Inbox.SortAsync(MailKit.Search.SearchQuery.All, [MailKit.Search.OrderBy.ReverseArrival]);
        var subjects = (await client.Inbox.FetchAsync(sorted, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope))
            .OrderBy(s => sorted.IndexOf(s.UniqueId)).Select(s => s.Envelope!.Subject).ToList();
        listing.Page.Rows.Select(r => r.Subject).ShouldBe(subjects);
        subjects[..3].ShouldBe(["Same second A", "Same second B", "Same second C"]);
        _reading.Counter.Sorts.ShouldBe(sorts, "the arrivals of the newest messages were known, so C's place was too");
    }

    /// <summary>One message gone and one come: the count is the same, UIDNEXT is not.</summary>
    [Fact]
    public async Task an_expunge_and_new_mail_together_show_on_the_next_page()
    {
        var (account, mailbox) = await _reading.AccountWithMailAsync(3);
        var reader = _reading.Reader();
        await ListAsync(reader, account, mailbox);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.StoreAsync(new UniqueId(2), new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
            await client.Inbox.ExpungeAsync();
            await client.Inbox.AppendAsync(new AppendRequest(CountedReading.Message("Message 4"), MessageFlags.None, DateTimeOffset.UtcNow));
        }

        var (listing, _) = await ListAsync(reader, account, mailbox);

        listing.Page.Rows.Select(r => r.Subject).ShouldBe(["Message 4", "Message 3", "Message 1"]);
        listing.Page.Total.ShouldBe(3);
    }

    [Fact]
    public async Task an_expunge_shows_on_the_next_page()
    {
        var (account, mailbox) = await _reading.AccountWithMailAsync(3);
        var reader = _reading.Reader();
        await ListAsync(reader, account, mailbox);
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.StoreAsync(new UniqueId(3), new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
            await client.Inbox.ExpungeAsync();
        }

        var (listing, _) = await ListAsync(reader, account, mailbox);

        listing.Page.Rows.Select(r => r.Subject).ShouldBe(["Message 2", "Message 1"]);
        listing.Folders.Single(f => f.FullName == "INBOX").Total.ShouldBe(2);
    }
}
