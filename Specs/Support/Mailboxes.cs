using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MailAccounts.Infrastructure.Mail;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Support;

public static class Mailboxes
{
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
}
