using System.Net;
using MailKit.Search;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Accounts;

[Collection(ProductCollection.Name)]
public sealed class when_sending_a_test_email(ProductFixture product)
{
    [Fact]
    public async Task it_arrives_from_the_account_and_its_blind_copy_arrives_at_the_forward_address()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        var archive = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync(AccountForms.AddPage,
            AccountForms.SendingAs(product, sender, forwardTo: archive.Address).With("Input.TestRecipient", recipient.Address), "SendTest");

        page.Html.ShouldContain("Test email sent");
        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("MailAccounts test email"));
        arrived.From.Mailboxes.Single().Address.ShouldBe(sender.Address);
        arrived.From.Mailboxes.Single().Name.ShouldBe("Anna Smirnova");
        arrived.Bcc.ShouldBeEmpty();
        var copy = await product.WaitForMessageAsync(archive, SearchQuery.SubjectContains("MailAccounts test email"));
        copy.MessageId.ShouldBe(arrived.MessageId);
    }

    [Fact]
    public async Task a_refused_login_shows_the_servers_reply()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync(AccountForms.AddPage,
            AccountForms.SendingAs(product, sender).With("Input.NewServerPassword", "not-the-password").With("Input.TestRecipient", recipient.Address), "SendTest");

        page.Html.ShouldContain("class=\"failed\"><span class=\"stage\">Authentication</span>");
        page.Html.ShouldContain("535");
    }

    [Fact]
    public async Task a_saved_account_sends_through_its_saved_server_and_records_the_test_in_its_history()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.SendingAs(product, sender, title: "Sender"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var list = (await user.Session.GetAsync("/Email/Settings/Accounts")).Html;
        var edit = AccountForms.EditPathIn(list);

        var editPage = await user.Session.GetAsync(edit);
        editPage.Html.ShouldNotContain(sender.Password);
        var serverId = System.Text.RegularExpressions.Regex.Match(editPage.Html, "<option(?=[^>]*selected)[^>]*value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        serverId.ShouldNotBeEmpty();

        var page = await user.Session.SubmitAsync(edit, AccountForms.For(product, sender)
            .With("Input.Title", "Sender").With("Input.Password", "").With("Input.OutgoingServer", serverId)
            .With("Input.TestRecipient", recipient.Address), "SendTest");

        page.Html.ShouldContain("Test email sent");
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("MailAccounts test email"));
        (await user.Session.GetAsync(AccountForms.HistoryPathIn(list))).Html.ShouldContain("Test email sent");
    }

    [Fact]
    public async Task without_a_configured_system_server_the_user_is_asked_to_choose_one()
    {
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync(AccountForms.AddPage,
            AccountForms.Valid("No server", "anna@example.com").With("Input.TestRecipient", recipient.Address), "SendTest");

        page.Html.ShouldContain("the system default is not configured yet");
    }
}
