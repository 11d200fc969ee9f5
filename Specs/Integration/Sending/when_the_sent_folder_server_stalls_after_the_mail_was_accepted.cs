using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Marten;
using MailKit;
using MailKit.Search;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Sending;

[Collection(SendingCollection.Name)]
public sealed class when_the_sent_folder_server_stalls_after_the_mail_was_accepted(ProductFixture product)
{
    [Fact]
    public async Task the_mail_arrives_once_and_the_copy_for_sent_is_filed_on_a_later_try()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        await using var imap = new StallingProxy(product.MailServer.Endpoints.Imaps, product.SparePort());
        var form = AccountForms.SendingAs(product, sender, "Stalling")
            .With("Input.Port", imap.Port.ToString(CultureInfo.InvariantCulture))
            .With("Input.SentFolder", "Sent")
            .With("Input.TrashFolder", "Trash");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountId("Stalling");

        // SMTP works; the IMAP server takes the connection and the handshake, then never answers the sign-in.
        imap.Stalling = true;
        var compose = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        compose["Input.To"] = recipient.Address;
        compose["Input.Subject"] = "Sent while IMAP stalls";
        (await user.Session.PostAsync(compose)).Status.ShouldBe(HttpStatusCode.Redirect);
        var mailId = Composing.MailIdOf(compose);

        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Sent while IMAP stalls"));
        // The acceptance is recorded while the copy is still stalled: the message is no longer in the outbox.
        await product.WaitForOutgoingAsync(mailId, m => m is null);
        await WaitAsync(() => Task.FromResult(imap.Stalled >= 1), "the proxy to swallow a sign-in");
        imap.Stalling = false;

        var filed = await WaitForSentRecordAsync(mailId, s => s is { FiledAt: not null });
        filed.CopyAttempts.ShouldBeGreaterThan(1);
        filed.Mime.ShouldBeNull();

        using var client = await product.SignInAsync(sender);
        var sent = await client.GetFolderAsync("Sent");
        await sent.OpenAsync(FolderAccess.ReadOnly);
        (await sent.SearchAsync(SearchQuery.HeaderContains("Message-ID", arrived.MessageId!))).Count.ShouldBe(1);
        using var inbox = await product.SignInAsync(recipient);
        await inbox.Inbox.OpenAsync(FolderAccess.ReadOnly);
        (await inbox.Inbox.SearchAsync(SearchQuery.SubjectContains("Sent while IMAP stalls"))).Count.ShouldBe(1);
        var record = (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailSent>().ShouldHaveSingleItem();
        record.Attempts.ShouldBe(1);
        record.MessageId.ShouldBe(arrived.MessageId);
    }

    private async Task<SentMail> WaitForSentRecordAsync(Guid mailId, Func<SentMail?, bool> condition)
    {
        SentMail? found = null;
        await WaitAsync(async () =>
        {
            await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
            found = await session.LoadAsync<SentMail>(mailId);
            return condition(found);
        }, "the copy for Sent to be filed");
        return found!;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Waited 30 seconds for {what}.");
    }
}
