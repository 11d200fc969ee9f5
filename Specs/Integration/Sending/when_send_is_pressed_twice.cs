using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Search;
using MailAccounts.Domain.Sending;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Sending;

[Collection(SendingCollection.Name)]
public sealed class when_send_is_pressed_twice(ProductFixture product)
{
    [Fact]
    public async Task two_sends_of_one_draft_at_once_deliver_it_once()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        // An SMTP server that takes a second to greet: an attempt under way is still under way when a second one looks.
        await using var smtp = new StallingProxy(product.MailServer.Endpoints.Smtp, product.SparePort()) { Slowness = TimeSpan.FromSeconds(1) };
        var account = await AccountAsync(user, sender, smtp.Port, "Double click");
        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = "Pressed twice";

        // A double click, or the same draft sent from several tabs: the posts are in flight at once.
        var posts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => user.Session.PostAsync(form)));

        posts.ShouldContain(p => p.Status == HttpStatusCode.Redirect);
        posts.ShouldAllBe(p => p.Status == HttpStatusCode.Redirect || p.Status == HttpStatusCode.OK);
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Pressed twice"));
        await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m is null);
        await AssertDeliveredOnceAsync(sender, recipient, account, "Pressed twice");
    }

    [Fact]
    public async Task a_send_from_a_second_tab_after_the_message_went_sends_nothing()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Two tabs");
        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        form["Input.To"] = recipient.Address;
        form["Input.Subject"] = "Open in two tabs";
        (await user.Session.PostAsync(form, handler: "Save")).Status.ShouldBe(HttpStatusCode.Redirect);
        var firstTab = Form.Of((await user.Session.GetAsync($"/Email/Compose?draft={Composing.MailIdOf(form)}")).Html, "form.compose");
        var secondTab = Form.Of((await user.Session.GetAsync($"/Email/Compose?draft={Composing.MailIdOf(form)}")).Html, "form.compose");

        (await user.Session.PostAsync(firstTab)).Status.ShouldBe(HttpStatusCode.Redirect);
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Open in two tabs"));
        await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m is null);

        var again = await user.Session.PostAsync(secondTab);
        again.Status.ShouldBe(HttpStatusCode.OK);
        again.Dom.Body.ShouldContain(product.Word("Sending.AlreadySent"));
        (await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => true)).ShouldBeNull();
        await AssertDeliveredOnceAsync(sender, recipient, account, "Open in two tabs");
    }

    private async Task<Guid> AccountAsync(TestUser user, Mailbox mailbox, int smtpPort, string title)
    {
        var form = AccountForms.SendingAs(product, mailbox, title)
            .With("Input.NewServerPort", smtpPort.ToString(CultureInfo.InvariantCulture))
            .With("Input.SentFolder", "Sent")
            .With("Input.TrashFolder", "Trash");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        return (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountId(title);
    }

    private async Task AssertDeliveredOnceAsync(Mailbox sender, Mailbox recipient, Guid account, string subject)
    {
        using var client = await product.SignInAsync(sender);
        var sentFolder = await client.GetFolderAsync("Sent");
        for (var waited = 0; waited < 100 && sentFolder.Count == 0; waited++)
        {
            await sentFolder.StatusAsync(StatusItems.Count);
            await Task.Delay(100);
        }

        // Every delivery that ran has recorded itself by the time the first copy is filed.
        (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailSent>().Count().ShouldBe(1);
        await sentFolder.OpenAsync(FolderAccess.ReadOnly);
        (await sentFolder.SearchAsync(SearchQuery.SubjectContains(subject))).Count.ShouldBe(1);
        using var inbox = await product.SignInAsync(recipient);
        await inbox.Inbox.OpenAsync(FolderAccess.ReadOnly);
        (await inbox.Inbox.SearchAsync(SearchQuery.SubjectContains(subject))).Count.ShouldBe(1);
    }
}
