using System.Net;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.Mailboxes;

/// <summary>
/// The mailbox quota (IMAP QUOTA) on the private Dovecot, which keeps one (count backend, 1 GiB a mailbox unless the
/// mailbox has its own): the port reads the inbox's quota root, its numbers follow the mail, and the client shows it
/// under the folder list, with a warning when nearly full; POP3 has no quota to show.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_mailbox_states_its_quota(ProductFixture product)
{
    private MailSessions Sessions => product.Services.GetRequiredService<MailSessions>();

    private static MimeMessage Message(string subject, int bodyBytes)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        // Lines of plain ASCII: the size on the server is the size written, give or take the headers.
        var line = new string('q', 75) + "\r\n";
        message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat(line, Math.Max(1, bodyBytes / line.Length))) };
        return message;
    }

    private async Task AppendAsync(Mailbox mailbox, params MimeMessage[] messages)
    {
        using var client = await product.SignInAsync(mailbox);
        foreach (var message in messages)
        {
            await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
        }
    }

    /// <summary>What the quota must say the mailbox holds: the messages' sizes as the server counts them (RFC822.SIZE), in KiB rounded up, as Dovecot counts them.</summary>
    private async Task<long> StoredBytesAsync(Mailbox mailbox)
    {
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        if (client.Inbox.Count == 0)
        {
            return 0;
        }

        var sizes = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Size);
        var bytes = sizes.Sum(s => (long)s.Size!.Value);
        return (bytes + 1023) / 1024 * 1024;
    }

    private Account AccountOver(Mailbox mailbox, IncomingProtocol protocol)
    {
        var endpoints = product.MailServer.Endpoints;
        return new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Quota", "Quota", mailbox.Address,
            new IncomingSettings(protocol, endpoints.Host, protocol == IncomingProtocol.Imap ? endpoints.Imaps : endpoints.Pop3s,
                TransportSecurity.SslOnConnect, mailbox.Address, Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
    }

    private async Task<MailboxQuota?> QuotaAsync(Mailbox mailbox)
    {
        var done = await Sessions.UseAsync(AccountOver(mailbox, IncomingProtocol.Imap), _ => Task.FromResult<string?>(mailbox.Password),
            m => m.Match(imap => imap.QuotaAsync(CancellationToken.None), _ => throw new InvalidOperationException("an IMAP account")),
            CancellationToken.None);
        done.Problem.ShouldBeNull();
        return done.Value;
    }

    private async Task<(TestUser User, string Account)> UserWithAccountAsync(Mailbox mailbox, string protocol = "Imap")
    {
        var user = await product.NewUserAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, protocol: protocol, title: "Quota")))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        return (user, (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single());
    }

    [Fact]
    public async Task the_port_reads_the_quota_of_the_inbox_root_in_bytes()
    {
        var mailbox = await product.NewMailboxAsync();
        await AppendAsync(mailbox, Message("One", 6_000), Message("Two", 9_000));

        var quota = await QuotaAsync(mailbox);

        quota.ShouldNotBeNull();
        quota.LimitBytes.ShouldBe(PrivateMailServer.UsualQuotaBytes);
        quota.UsedBytes.ShouldBe(await StoredBytesAsync(mailbox));
        quota.UsedBytes!.Value.ShouldBeGreaterThan(14_000);
    }

    [Fact]
    public async Task its_numbers_move_when_a_message_is_delivered()
    {
        var mailbox = await product.NewMailboxAsync();
        await AppendAsync(mailbox, Message("Already there", 4_000));
        var before = await QuotaAsync(mailbox);

        await product.DeliverAsync(mailbox, [Message("Delivered", 40_000)]);
        var after = await QuotaAsync(mailbox);

        after!.UsedBytes.ShouldBe(await StoredBytesAsync(mailbox));
        after.UsedBytes!.Value.ShouldBeGreaterThan(before!.UsedBytes!.Value + 39_000);
    }

    [Fact]
    public async Task a_mailbox_with_a_quota_of_its_own_states_that_limit()
    {
        var mailbox = await product.NewMailboxAsync(quotaBytes: 100 * 1024);

        var quota = await QuotaAsync(mailbox);

        quota!.LimitBytes.ShouldBe(100 * 1024);
        quota.UsedBytes.ShouldBe(0);
    }

    [Fact]
    public async Task the_client_shows_it_under_the_folder_list()
    {
        var mailbox = await product.NewMailboxAsync();
        await AppendAsync(mailbox, Message("Counted", 30_000));
        var (user, account) = await UserWithAccountAsync(mailbox);
        using var _ = user;

        var page = await user.Session.GetAsync($"/Email?account={account}");

        var line = page.Dom.One("#mail-folders + [data-quota]");
        line.GetAttribute("data-quota").ShouldBe("storage");
        line.GetAttribute("data-quota-used").ShouldBe((await StoredBytesAsync(mailbox)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        line.GetAttribute("data-quota-limit").ShouldBe(PrivateMailServer.UsualQuotaBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        line.GetAttribute("data-quota-warning").ShouldBe("false");
        page.Dom.Find("[data-quota] meter").ShouldNotBeNull();
        page.Dom.Find("[data-quota-almost-full]").ShouldBeNull();
    }

    [Fact]
    public async Task a_mailbox_over_nine_tenths_full_is_shown_with_a_warning()
    {
        var mailbox = await product.NewMailboxAsync(quotaBytes: 40 * 1024);
        await AppendAsync(mailbox, Message("Nearly all of it", 38_000));
        var (user, account) = await UserWithAccountAsync(mailbox);
        using var _ = user;

        var page = await user.Session.GetAsync($"/Email?account={account}");

        var line = page.Dom.One("[data-quota]");
        (long.Parse(line.GetAttribute("data-quota-used")!) * 10).ShouldBeGreaterThan(9 * 40 * 1024);
        line.GetAttribute("data-quota-warning").ShouldBe("true");
        line.ClassList.ShouldContain("warning");
        page.Dom.Find("[data-quota-almost-full]").ShouldNotBeNull();
    }

    [Fact]
    public async Task a_pop3_account_shows_no_quota()
    {
        var mailbox = await product.NewMailboxAsync();
        await AppendAsync(mailbox, Message("Over POP3", 5_000));
        var (user, account) = await UserWithAccountAsync(mailbox, protocol: "Pop3");
        using var _ = user;

        var page = await user.Session.GetAsync($"/Email?account={account}");

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Subjects().ShouldBe(["Over POP3"]);
        page.Dom.Find("[data-quota]").ShouldBeNull();
    }
}
