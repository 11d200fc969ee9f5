using System.Net;
using MailKit;
using MailKit.Search;
using MailAccounts.Domain.Sending;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Sending;

[Collection(ProductCollection.Name)]
public sealed class when_send_is_pressed_twice(ProductFixture product)
{
    [Fact]
    public async Task two_sends_of_one_draft_at_once_deliver_it_once()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Double click");
        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = "Pressed twice";

        // A double click, or the same draft sent from two tabs: both posts are in flight at once.
        var posts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => user.Session.PostAsync(form)));

        posts.Count(p => p.Status == HttpStatusCode.Redirect).ShouldBeGreaterThanOrEqualTo(1);
        posts.ShouldAllBe(p => p.Status == HttpStatusCode.Redirect || p.Status == HttpStatusCode.OK);
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Pressed twice"));
        await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m is null);
        using var client = await product.SignInAsync(sender);
        var sentFolder = await client.GetFolderAsync("Sent");
        for (var waited = 0; waited < 100 && sentFolder.Count == 0; waited++)
        {
            await sentFolder.StatusAsync(StatusItems.Count);
            await Task.Delay(100);
        }

        // Every delivery that ran has recorded itself and filed its copy by the time the first copy is there.
        (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailSent>().Count().ShouldBe(1);
        await sentFolder.OpenAsync(FolderAccess.ReadOnly);
        (await sentFolder.SearchAsync(SearchQuery.SubjectContains("Pressed twice"))).Count.ShouldBe(1);
        using var inbox = await product.SignInAsync(recipient);
        await inbox.Inbox.OpenAsync(FolderAccess.ReadOnly);
        (await inbox.Inbox.SearchAsync(SearchQuery.SubjectContains("Pressed twice"))).Count.ShouldBe(1);
    }
}
