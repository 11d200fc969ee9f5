using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.MailServers;

/// <summary>The private Dovecot and Postfix that every later mail spec relies on, reached as the product reaches servers.</summary>
[Collection(MailboxCollection.Name)]
public sealed class when_using_the_test_mail_servers(ProductFixture product)
{
    private CertificatePolicy ProductPolicy => product.Services.GetRequiredService<CertificatePolicy>();


    [Fact]
    public async Task imap_over_tls_signs_in_with_the_test_authority_trusted_and_lists_the_folders()
    {
        var mailbox = await product.NewMailboxAsync();

        using var client = await product.SignInAsync(mailbox);
        var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0]);

        client.IsSecure.ShouldBeTrue();
        folders.Select(f => f.FullName).ShouldBe(["INBOX", "Sent", "Trash", "Drafts", "Junk"], ignoreOrder: true);
        folders.Single(f => f.FullName == "Sent").Attributes.HasFlag(FolderAttributes.Sent).ShouldBeTrue();
        folders.Single(f => f.FullName == "Trash").Attributes.HasFlag(FolderAttributes.Trash).ShouldBeTrue();
    }

    [Fact]
    public async Task imap_with_starttls_upgrades_the_plain_port()
    {
        var mailbox = await product.NewMailboxAsync();
        using var client = new ImapClient { ServerCertificateValidationCallback = ProductPolicy.Validate };

        await client.ConnectAsync(product.MailServer.Endpoints.Host, product.MailServer.Endpoints.Imap, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(mailbox.Address, mailbox.Password);

        client.IsSecure.ShouldBeTrue();
    }

    [Fact]
    public async Task without_the_test_authority_the_certificate_is_refused()
    {
        using var client = new ImapClient { ServerCertificateValidationCallback = CertificatePolicy.SystemRootsOnly.Validate };

        await Should.ThrowAsync<SslHandshakeException>(() =>
            client.ConnectAsync(product.MailServer.Endpoints.Host, product.MailServer.Endpoints.Imaps, SecureSocketOptions.SslOnConnect));
    }

    [Fact]
    public async Task mail_sent_through_postfix_arrives_in_the_recipients_dovecot_inbox()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        var subject = "Delivery check " + Guid.NewGuid();
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Привет из спецификации" } };
        message.From.Add(MailboxAddress.Parse(sender.Address));
        message.To.Add(MailboxAddress.Parse(recipient.Address));

        using (var smtp = new SmtpClient { ServerCertificateValidationCallback = ProductPolicy.Validate })
        {
            await smtp.ConnectAsync(product.MailServer.Endpoints.Host, product.MailServer.Endpoints.Smtp, SecureSocketOptions.StartTls);
            await smtp.AuthenticateAsync(sender.Address, sender.Password);
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains(subject));
        arrived.From.Mailboxes.Single().Address.ShouldBe(sender.Address);
        arrived.TextBody!.Trim().ShouldBe("Привет из спецификации");
    }

    [Fact]
    public async Task mail_to_an_unknown_address_comes_back_as_a_delivery_status_notification()
    {
        var sender = await product.NewMailboxAsync();
        var message = new MimeMessage { Subject = "To nobody", Body = new TextPart("plain") { Text = "Anyone there?" } };
        message.From.Add(MailboxAddress.Parse(sender.Address));
        message.To.Add(MailboxAddress.Parse("nobody-" + Guid.NewGuid().ToString("N")[..8] + "@" + ProductFixture.MailDomain));

        using (var smtp = new SmtpClient { ServerCertificateValidationCallback = ProductPolicy.Validate })
        {
            await smtp.ConnectAsync(product.MailServer.Endpoints.Host, product.MailServer.Endpoints.Submissions, SecureSocketOptions.SslOnConnect);
            await smtp.AuthenticateAsync(sender.Address, sender.Password);
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        var bounce = await product.WaitForMessageAsync(sender, SearchQuery.All);
        bounce.Body!.ContentType.MimeType.ShouldBe("multipart/report");
        bounce.Body.ShouldBeOfType<MultipartReport>().ReportType.ShouldBe("delivery-status");
    }
}
