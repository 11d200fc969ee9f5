using System.Net;
using System.Text.RegularExpressions;
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
/// The pages of one account reuse a signed-in IMAP connection instead of signing in for every request. Whatever would
/// make the connection a different one (new settings), or any doubt about it (a failure, a server that hung up, time),
/// means signing in anew. Connections are counted by the protocol logger each new one gets.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_pages_reuse_signed_in_connections(ProductFixture product) : IAsyncLifetime
{
    private readonly MailCommandCounter _signIns = new();
    private readonly MailConnectionPool _pool = new(new MailOptions { IdleConnectionSeconds = 60 });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _pool.DisposeAsync();

    private MailSessions Reader(MailConnectionPool? pool = null) => new(
        product.Services.GetRequiredService<MailConnector>(), product.Services.GetRequiredService<SecretVault>(), pool ?? _pool,
        product.Services.GetRequiredService<MailOptions>())
    {
        ProtocolLoggers = _signIns.NewLogger,
    };

    private static MimeMessage Message(string subject)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    /// <summary>An account (never saved: the reader needs only its settings) over a new mailbox with messages 1…n, n the newest.</summary>
    private async Task<(Account Account, Mailbox Mailbox)> AccountWithMailAsync(int count)
    {
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            for (var i = 1; i <= count; i++)
            {
                await client.Inbox.AppendAsync(new AppendRequest(Message($"Message {i}"), MessageFlags.None, DateTimeOffset.UtcNow.AddMinutes(i - count)));
            }
        }

        var endpoints = product.MailServer.Endpoints;
        var account = new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Pooled", "Pooled", mailbox.Address,
            new IncomingSettings(IncomingProtocol.Imap, endpoints.Host, endpoints.Imaps, TransportSecurity.SslOnConnect, mailbox.Address, Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
        return (account, mailbox);
    }

    private static Task<MailWork<Listing>> ListAsync(MailSessions reader, Account account, string password, string folder = "INBOX") =>
        reader.UseAsync(account, _ => Task.FromResult<string?>(password),
            mailbox => mailbox.ListingAsync([], folder, 1, 50, CancellationToken.None), CancellationToken.None);

    private static string[] Subjects(MailWork<Listing> work) => work.Value!.Page.Rows.Select(r => r.Subject).ToArray();

    [Fact]
    public async Task two_pages_of_one_account_sign_in_once()
    {
        var (account, mailbox) = await AccountWithMailAsync(3);
        var reader = Reader();

        (await ListAsync(reader, account, mailbox.Password)).Succeeded.ShouldBeTrue();
        var second = await ListAsync(reader, account, mailbox.Password);

        Subjects(second).ShouldBe(["Message 3", "Message 2", "Message 1"]);
        _signIns.Connections.ShouldBe(1);
        _pool.IdleCount.ShouldBe(1);
    }

    [Fact]
    public async Task requests_at_the_same_time_never_share_a_connection()
    {
        var (account, mailbox) = await AccountWithMailAsync(1);
        var reader = Reader();
        await ListAsync(reader, account, mailbox.Password);

        // Each work waits until both hold their connection, so the one connection kept can be lent to one of them only.
        var holding = 0;
        var both = new TaskCompletionSource();
        async Task<IMailbox> HoldAsync(IMailbox client)
        {
            if (Interlocked.Increment(ref holding) == 2)
            {
                both.SetResult();
            }

            await both.Task.WaitAsync(TimeSpan.FromSeconds(10));
            return client;
        }

        var held = await Task.WhenAll(
            reader.UseAsync(account, _ => Task.FromResult<string?>(mailbox.Password), HoldAsync, CancellationToken.None),
            reader.UseAsync(account, _ => Task.FromResult<string?>(mailbox.Password), HoldAsync, CancellationToken.None));

        held[0].Value.ShouldNotBeSameAs(held[1].Value);
        _signIns.Connections.ShouldBe(2);
        _pool.IdleCount.ShouldBe(2);
    }

    [Fact]
    public async Task a_new_password_in_the_settings_never_uses_the_connection_signed_in_with_the_old_one()
    {
        var (account, mailbox) = await AccountWithMailAsync(1);
        var reader = Reader();
        await ListAsync(reader, account, mailbox.Password);

        // A password typed into the settings is stored under a new reference: the connection kept for the old one does not fit.
        var retyped = account with { Incoming = account.Incoming! with { PasswordSecretId = Guid.CreateVersion7() } };
        var wrong = await ListAsync(reader, retyped, "not-the-password");

        wrong.Succeeded.ShouldBeFalse();
        wrong.FailedStage.ShouldBe(TestStage.Authentication);
        (await ListAsync(reader, retyped, mailbox.Password)).Succeeded.ShouldBeTrue();
        _signIns.Connections.ShouldBe(3);
    }

    public static TheoryData<string> OtherChanges => ["login", "port and security", "trusted certificate"];

    [Theory]
    [MemberData(nameof(OtherChanges))]
    public async Task any_other_change_to_how_the_account_connects_signs_in_anew(string change)
    {
        var (account, mailbox) = await AccountWithMailAsync(1);
        var reader = Reader();
        await ListAsync(reader, account, mailbox.Password);
        var incoming = account.Incoming!;
        var changed = change switch
        {
            // Dovecot lowers the login, so the same mailbox answers.
            "login" => account with { Incoming = incoming with { Login = mailbox.Address.ToUpperInvariant() } },
            "port and security" => account with { Incoming = incoming with { Port = product.MailServer.Endpoints.Imap, Security = TransportSecurity.StartTls } },
            _ => account with { TrustedCertificates = [new TrustedCertificate(incoming.Host, new string('A', 64))] },
        };

        (await ListAsync(reader, changed, mailbox.Password)).Succeeded.ShouldBeTrue();

        _signIns.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task a_connection_the_server_closed_is_replaced_without_the_user_seeing_an_error()
    {
        var (account, mailbox) = await AccountWithMailAsync(2);
        var reader = Reader();
        await ListAsync(reader, account, mailbox.Password);

        await product.MailServer.DisconnectSessionsAsync(mailbox.Address);
        var page = await ListAsync(reader, account, mailbox.Password);

        page.Problem.ShouldBeNull();
        Subjects(page).ShouldBe(["Message 2", "Message 1"]);
        _signIns.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task a_connection_whose_work_failed_is_closed_and_not_reused()
    {
        var (account, mailbox) = await AccountWithMailAsync(1);
        var reader = Reader();

        var failed = await ListAsync(reader, account, mailbox.Password, folder: "No such folder");

        failed.Succeeded.ShouldBeFalse();
        _pool.IdleCount.ShouldBe(0);
        (await ListAsync(reader, account, mailbox.Password)).Succeeded.ShouldBeTrue();
        _signIns.Connections.ShouldBe(2);
    }

    [Theory]
    [InlineData(true, false, new[] { "Message 4", "Message 3", "Message 2", "Message 1" })]
    [InlineData(false, true, new[] { "Message 3", "Message 2" })]
    // One in, one out: the folder holds as many messages as before, yet not the same ones.
    [InlineData(true, true, new[] { "Message 4", "Message 3", "Message 2" })]
    public async Task new_and_expunged_mail_shows_on_the_next_page_of_a_kept_connection(bool arrives, bool expunged, string[] shown)
    {
        var (account, mailbox) = await AccountWithMailAsync(3);
        var reader = Reader();
        Subjects(await ListAsync(reader, account, mailbox.Password)).ShouldBe(["Message 3", "Message 2", "Message 1"]);
        Subjects(await ListAsync(reader, account, mailbox.Password)).ShouldBe(["Message 3", "Message 2", "Message 1"]);

        using (var other = await product.SignInAsync(mailbox))
        {
            await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
            if (arrives)
            {
                await other.Inbox.AppendAsync(new AppendRequest(Message("Message 4"), MessageFlags.None, DateTimeOffset.UtcNow.AddMinutes(1)));
            }

            if (expunged)
            {
                await other.Inbox.StoreAsync(new UniqueId(1), new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
                await other.Inbox.ExpungeAsync();
            }
        }

        var next = await ListAsync(reader, account, mailbox.Password);

        Subjects(next).ShouldBe(shown);
        next.Value!.Page.Total.ShouldBe(shown.Length);
        _signIns.Connections.ShouldBe(1);
    }

    [Fact]
    public async Task a_connection_idle_longer_than_its_lifetime_is_logged_out()
    {
        var (account, mailbox) = await AccountWithMailAsync(1);
        await using var shortLived = new MailConnectionPool(new MailOptions { IdleConnectionSeconds = 1 });
        var reader = Reader(shortLived);
        await ListAsync(reader, account, mailbox.Password);
        shortLived.IdleCount.ShouldBe(1);

        for (var waited = 0; shortLived.IdleCount > 0 && waited < 100; waited++)
        {
            await Task.Delay(100);
        }

        shortLived.IdleCount.ShouldBe(0);
        (await ListAsync(reader, account, mailbox.Password)).Succeeded.ShouldBeTrue();
        _signIns.Connections.ShouldBe(2);
    }

    [Fact]
    public async Task stopping_logs_out_of_the_connections_kept()
    {
        var (account, mailbox) = await AccountWithMailAsync(1);
        IMailbox? kept = null;
        await Reader().UseAsync(account, _ => Task.FromResult<string?>(mailbox.Password), client => Task.FromResult(kept = client), CancellationToken.None);
        kept!.IsConnected.ShouldBeTrue();

        await _pool.DisposeAsync();

        kept.IsConnected.ShouldBeFalse();
        _pool.IdleCount.ShouldBe(0);
    }

    [Fact]
    public async Task the_product_keeps_one_pool_and_two_page_views_sign_in_to_the_server_once()
    {
        product.Services.GetRequiredService<MailConnectionPool>().ShouldBeSameAs(product.Services.GetRequiredService<MailConnectionPool>());
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Pooled"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single();
        var before = await SignInsOnServerAsync(mailbox.Address);

        (await user.Session.GetAsync($"/Email?account={account}")).Status.ShouldBe(HttpStatusCode.OK);
        (await user.Session.GetAsync($"/Email?account={account}&folder=INBOX&p=1")).Status.ShouldBe(HttpStatusCode.OK);

        (await SignInsOnServerAsync(mailbox.Address)).ShouldBe(before + 1);
    }

    /// <summary>Dovecot's own count of the mailbox's sign-ins, from its log, once the log has stopped growing.</summary>
    private async Task<int> SignInsOnServerAsync(string address)
    {
        int Count() => File.ReadLines(product.MailServer.DovecotLog).Count(l => l.Contains($"Login: user=<{address}>", StringComparison.OrdinalIgnoreCase));
        var count = Count();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            await Task.Delay(100);
            var again = Count();
            if (again == count)
            {
                break;
            }

            count = again;
        }

        return count;
    }
}
