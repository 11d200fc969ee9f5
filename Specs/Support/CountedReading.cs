using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Secrets;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Support;

/// <summary>
/// The mailbox port as the message list uses it, on a connection pool and a listing cache of a spec's own, with every
/// IMAP command counted by the protocol logger each connection gets: for specs of what a kept connection remembers.
/// </summary>
public sealed class CountedReading(ProductFixture product) : IAsyncDisposable
{
    private readonly MailConnectionPool _pool = new(new MailOptions { IdleConnectionSeconds = 60 });
    private readonly ListingCache _listings = new();

    public MailCommandCounter Counter { get; } = new();

    /// <summary>Sessions over the spec's pool, or over <paramref name="pool"/> to start without kept connections.</summary>
    public MailSessions Reader(MailConnectionPool? pool = null) => new(
        product.Services.GetRequiredService<MailConnector>(), product.Services.GetRequiredService<SecretVault>(), pool ?? _pool,
        product.Services.GetRequiredService<MailOptions>())
    {
        ProtocolLoggers = Counter.NewLogger,
        Listings = _listings,
    };

    public static MimeMessage Message(string subject)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        message.Body = new TextPart("plain") { Text = "Hello " + subject };
        return message;
    }

    /// <summary>
    /// A new mailbox with <paramref name="count"/> messages "Message 1" to "Message n" in <paramref name="folder"/>
    /// (made when it is not the inbox), a minute apart, the last a minute or less ago; and an account that reads it.
    /// </summary>
    public async Task<(Account Account, Mailbox Mailbox)> AccountWithMailAsync(int count, string folder = "INBOX")
    {
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            var target = folder == "INBOX" ? client.Inbox : await CreateAsync(client, folder);
            for (var i = 1; i <= count; i++)
            {
                await target.AppendAsync(new AppendRequest(Message($"Message {i}"), MessageFlags.None, DateTimeOffset.UtcNow.AddMinutes(i - count - 1)));
            }
        }

        var endpoints = product.MailServer.Endpoints;
        var account = new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Counted", "Counted", mailbox.Address,
            new IncomingSettings(IncomingProtocol.Imap, endpoints.Host, endpoints.Imaps, TransportSecurity.SslOnConnect, mailbox.Address, Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
        return (account, mailbox);
    }

    public static async Task<IMailFolder> CreateAsync(MailKit.Net.Imap.ImapClient client, string name) =>
        (await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync(name, true))!;

    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}
