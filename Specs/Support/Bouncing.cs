using System.Net;
using Marten;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Verification;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Support;

/// <summary>Sending through the product and reading what came back, for the verification specs.</summary>
public static class Bouncing
{
    /// <summary>Sends a message through the compose page and waits until the outgoing server has it; its outbox id.</summary>
    public static async Task<SentMail> SendThroughTheProductAsync(
        this ProductFixture product, TestUser user, Guid account, string to, string subject, string cc = "")
    {
        var page = await user.Session.GetAsync($"/Email/Compose?account={account}");
        page.Status.ShouldBe(HttpStatusCode.OK);
        var form = Form.Of(page.Html, "form.compose");
        form["Input.To"] = to;
        form["Input.Cc"] = cc;
        form["Input.Subject"] = subject;
        (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var mailId = Composing.MailIdOf(form);
        await product.WaitForOutgoingAsync(mailId, m => m is null);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<SentMail>(mailId)).ShouldNotBeNull("the message was not sent");
    }

    /// <summary>
    /// Clears what earlier specs of the same product left on an address several of them send to (the private Postfix's
    /// one refused recipient, which every refusal marks invalid), as Mark valid would: Compose would otherwise stop
    /// before sending to it.
    /// </summary>
    public static async Task ForgetMarkAsync(this ProductFixture product, string address) =>
        await AddressEvents.DecideAsync(product.Services.GetRequiredService<IDocumentStore>(), address,
            state => AddressVerification.MarkedValidBy(state, Guid.Empty, DateTimeOffset.UtcNow), CancellationToken.None);

    /// <summary>Reads the account's new mail for bounces as a check does, and says what it found.</summary>
    public static Task<BounceScanResult> ReadForBouncesAsync(this ProductFixture product, Guid account) =>
        product.Services.GetRequiredService<BounceScanner>().ScanAsync(account, CancellationToken.None);

    public static async Task<AddressState?> AddressStateAsync(this ProductFixture product, string address)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<AddressState>(AddressVerification.IdOf(address));
    }

    /// <summary>The address's state once it satisfies the condition, waiting up to thirty seconds (a check runs on a queue).</summary>
    public static async Task<AddressState?> WaitForAddressAsync(this ProductFixture product, string address, Func<AddressState?, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var state = await product.AddressStateAsync(address);
            if (condition(state) || DateTime.UtcNow > until)
            {
                return state;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// A delivery status notification (RFC 3464) as a remote server writes one: about <paramref name="about"/>'s
    /// Message-ID, for one recipient, with the returned message's header.
    /// </summary>
    public static MimeMessage Dsn(
        string to, string? about, string recipient, string action, string status, string diagnostic, DateTimeOffset date, string? envelopeId = null)
    {
        var report = new MultipartReport("delivery-status");
        report.Add(new TextPart("plain") { Text = $"This is the mail system at host mx.elsewhere.test.\n\nYour message to {recipient} could not be delivered.\n" });
        var status822 = new MessageDeliveryStatus();
        var perMessage = new HeaderList { { "Reporting-MTA", "dns; mx.elsewhere.test" } };
        if (envelopeId is not null)
        {
            perMessage.Add("Original-Envelope-Id", envelopeId);
        }

        status822.StatusGroups.Add(perMessage);
        status822.StatusGroups.Add(new HeaderList
        {
            { "Final-Recipient", "rfc822; " + recipient },
            { "Original-Recipient", "rfc822; " + recipient },
            { "Action", action },
            { "Status", status },
            { "Remote-MTA", "dns; mx.elsewhere.test" },
            { "Diagnostic-Code", "smtp; " + diagnostic },
        });
        report.Add(status822);
        var returned = new MimeMessage { Subject = "The message that was sent", Date = date.AddMinutes(-5) };
        returned.From.Add(MailboxAddress.Parse(to));
        returned.To.Add(MailboxAddress.Parse(recipient));
        if (about is not null)
        {
            returned.MessageId = about;
        }

        report.Add(new TextRfc822Headers { Message = returned });
        var dsn = new MimeMessage { Subject = action == "delayed" ? "Delayed Mail (still being retried)" : "Undelivered Mail Returned to Sender", Date = date, Body = report };
        dsn.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.elsewhere.test"));
        dsn.To.Add(MailboxAddress.Parse(to));
        dsn.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");
        return dsn;
    }
}
