using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MailAccounts.Infrastructure.Mail;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Support;

public static class Mailboxes
{
    /// <summary>The envelope sender of delivered mail: a domain that does not exist, as a stranger's would not be known.</summary>
    private static readonly MailboxAddress Stranger = MailboxAddress.Parse("stranger@elsewhere.invalid");

    /// <summary>Signs in to the private Dovecot as the product would, trusting the test authority.</summary>
    public static async Task<ImapClient> SignInAsync(this ProductFixture product, Mailbox mailbox)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = product.Services.GetRequiredService<CertificatePolicy>().Validate };
        await client.ConnectAsync(product.MailServer.Endpoints.Host, product.MailServer.Endpoints.Imaps, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(mailbox.Address, mailbox.Password);
        return client;
    }

    /// <summary>The first message in the mailbox's INBOX that matches, waiting up to ten seconds for delivery.</summary>
    public static async Task<MimeMessage> WaitForMessageAsync(this ProductFixture product, Mailbox mailbox, SearchQuery query)
    {
        using var client = await product.SignInAsync(mailbox);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var found = await client.Inbox.SearchAsync(query);
            if (found.Count > 0)
            {
                return await client.Inbox.GetMessageAsync(found[0]);
            }

            await client.Inbox.CloseAsync();
            await Task.Delay(100);
        }

        throw new TimeoutException($"Nothing arrived in {mailbox.Address} within 10 seconds.");
    }

    /// <summary>
    /// Delivers the messages as a stranger's server would: over SMTP to the private Postfix, without signing in, which
    /// hands them to Dovecot. Returns once the mailbox's INBOX holds that many more messages, waiting up to thirty seconds.
    /// </summary>
    public static async Task DeliverAsync(this ProductFixture product, Mailbox mailbox, IReadOnlyCollection<MimeMessage> messages)
    {
        var before = await CountAsync(product, mailbox);
        using (var smtp = new SmtpClient { ServerCertificateValidationCallback = product.Services.GetRequiredService<CertificatePolicy>().Validate })
        {
            await smtp.ConnectAsync(product.MailServer.Endpoints.Host, product.MailServer.Endpoints.Smtp, SecureSocketOptions.StartTls);
            var recipient = new[] { MailboxAddress.Parse(mailbox.Address) };
            foreach (var message in messages)
            {
                await smtp.SendAsync(message, Stranger, recipient);
            }

            await smtp.DisconnectAsync(true);
        }

        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await CountAsync(product, mailbox) >= before + messages.Count)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{messages.Count} messages sent to {mailbox.Address} did not all arrive within 30 seconds; see {product.MailServer.PostfixLog}.");
    }

    private static async Task<int> CountAsync(ProductFixture product, Mailbox mailbox)
    {
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.StatusAsync(StatusItems.Count);
        return client.Inbox.Count;
    }
}
