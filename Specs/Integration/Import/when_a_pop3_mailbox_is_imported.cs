using MailAccounts.Specs.Support;
using MailKit.Net.Pop3;
using MailKit.Security;
using MailAccounts.Infrastructure.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>POP3 import: the UIDL set is the cursor, every message is imported as the server holds it, and the mail stays on the server.</summary>
[Collection(ImportCollection.Name)]
public sealed class when_a_pop3_mailbox_is_imported(ProductFixture product)
{
    [Fact]
    public async Task every_message_is_imported_once_and_stays_on_the_server()
    {
        using var account = await product.ImportingAccountAsync(protocol: "Pop3");
        await product.DeliverAsync(account.Mailbox, [Importing.Message("One over POP3"), Importing.Message("Two over POP3")]);
        var server = await product.ServerCopyAsync(account.Mailbox, "INBOX");

        (await product.ImportAsync(account.AccountId)).Sum(r => r.Imported).ShouldBe(2);

        var letters = await product.LettersAsync(account.AccountId);
        letters.Select(l => l.Headers.Subject).Order().ShouldBe(["One over POP3", "Two over POP3"]);
        letters.ShouldAllBe(l => l.Places.Single().UidValidity == 0 && l.Places.Single().Folder == "INBOX");
        var stored = new List<byte[]>();
        foreach (var letter in letters)
        {
            stored.Add(await product.StoredRawAsync(letter));
        }

        // What POP3 serves is what IMAP serves of the same mailbox.
        stored.Select(Convert.ToHexString).Order().ShouldBe(server.Values.Select(v => Convert.ToHexString(v.Raw)).Order());
        (await CountAsync(account.Mailbox)).ShouldBe(2, "the mail stays on the server");

        await product.DeliverAsync(account.Mailbox, [Importing.Message("Three over POP3")]);
        var rerun = await product.ImportAsync(account.AccountId);
        rerun.Sum(r => r.Fetched).ShouldBe(1, "only the UIDL not seen before is fetched");
        (await product.LettersAsync(account.AccountId)).Count.ShouldBe(3);
    }

    private async Task<int> CountAsync(Mailbox mailbox)
    {
        using var client = new Pop3Client { ServerCertificateValidationCallback = product.Services.GetRequiredService<CertificatePolicy>().Validate };
        await client.ConnectAsync(product.MailServer.Endpoints.Host, product.MailServer.Endpoints.Pop3s, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(mailbox.Address, mailbox.Password);
        var count = await client.GetMessageCountAsync();
        await client.DisconnectAsync(true);
        return count;
    }
}
