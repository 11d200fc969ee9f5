using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Specs.Integration.Sending;
using MailAccounts.Specs.Support;
using MailKit;

namespace MailAccounts.Specs.Integration.Mailboxes;

/// <summary>
/// A connection the pool kept can die while it waits without the client seeing it (a firewall forgets the idle line,
/// a server is restarted behind a balancer): it looks open until a command gets no answer. Work that only reads is then
/// done once more on a new connection, so the page shows the mail; work that changes the mailbox is never repeated
/// behind the user's back, and reports the problem. The proxy in front of Dovecot forgets the open connections.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_a_kept_connection_died_unnoticed(ProductFixture product) : IAsyncLifetime
{
    private readonly CountedReading _reading = new(product);
    private StallingProxy? _proxy;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _reading.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    /// <summary>An account with two messages read through the proxy, listed once so that its connection is kept, then forgotten.</summary>
    private async Task<(MailSessions Reader, Account Account, Mailbox Mailbox)> ForgottenAsync()
    {
        var (direct, mailbox) = await _reading.AccountWithMailAsync(2);
        _proxy = new StallingProxy(product.MailServer.Endpoints.Imaps, product.SparePort());
        var account = direct with { Incoming = direct.Incoming! with { Port = _proxy.Port } };
        var reader = _reading.Reader();
        var first = await reader.ReadAsync(account, Password(mailbox), m => m.ListingAsync([], "INBOX", 1, 50, CancellationToken.None), CancellationToken.None);
        first.Succeeded.ShouldBeTrue(first.Problem);
        _proxy.ForgetOpenConnections();
        return (reader, account, mailbox);
    }

    private static Func<CancellationToken, Task<string?>> Password(Mailbox mailbox) => _ => Task.FromResult<string?>(mailbox.Password);

    [Fact]
    public async Task the_list_is_read_again_on_a_new_connection()
    {
        var (reader, account, mailbox) = await ForgottenAsync();

        var work = await reader.ReadAsync(account, Password(mailbox), m => m.ListingAsync([], "INBOX", 1, 50, CancellationToken.None), CancellationToken.None);

        work.Succeeded.ShouldBeTrue(work.Problem);
        work.Value!.Page.Rows.Select(r => r.Subject).ShouldBe(["Message 2", "Message 1"]);
        _proxy!.Stalled.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task a_change_is_not_made_twice_and_its_problem_is_reported()
    {
        var (reader, account, mailbox) = await ForgottenAsync();

        var work = await reader.UseAsync(account, Password(mailbox), m => m.Match(
            async imap =>
            {
                await imap.SetFlagAsync("INBOX", 1, MailFlag.Flagged, true, CancellationToken.None);
                return true;
            },
            _ => Task.FromResult(false)), CancellationToken.None);

        work.Succeeded.ShouldBeFalse();
        work.Problem.ShouldNotBeNullOrWhiteSpace();
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        (await client.Inbox.FetchAsync([new UniqueId(1)], MessageSummaryItems.Flags)).Single().Flags!.Value.HasFlag(MessageFlags.Flagged).ShouldBeFalse();
    }
}
