using System.Net;
using MailKit;
using MailKit.Search;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Sending;

/// <summary>Stops the Postfix of a product of its own: the specs of other collections keep theirs running.</summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_the_outgoing_server_is_down_during_a_send(ProductFixture product)
{
    [Fact]
    public async Task the_page_returns_at_once_and_the_message_arrives_once_when_the_server_is_back()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Patient");
        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = "Sent while the server was down";

        await product.MailServer.StopPostfixAsync();
        try
        {
            (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
            var waiting = await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m is { Attempts: >= 1 });
            waiting!.Status.ShouldBe(OutgoingMailStatus.Queued);
            (await user.Session.GetAsync("/Email/Outbox")).Dom.Has("#outbox-queued tr[data-mail]").ShouldBeTrue();
        }
        finally
        {
            await product.MailServer.StartPostfixAsync();
        }

        await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m is null);
        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Sent while the server was down"));
        using var client = await product.SignInAsync(recipient);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        (await client.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", arrived.MessageId!))).Count.ShouldBe(1);
    }
}
