using System.Globalization;
using System.Net;
using MailKit.Search;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Outgoing;

[Collection(SharedSettingsCollection.Name)]
public sealed class when_an_administrator_sets_the_system_outgoing_server(ProductFixture product)
{
    private const string Page = "/Admin/OutgoingServer";

    [Fact]
    public async Task accounts_without_a_server_of_their_own_send_through_it()
    {
        using var admin = await product.AdministratorAsync();
        var refused = await admin.SubmitAsync(Page, new() { ["Input.Host"] = "not a host", ["Input.Security"] = "StartTls", ["Input.UseAuthentication"] = "false" });
        refused.Html.ShouldContain("This is not a server name");

        var saved = await admin.SubmitAsync(Page, new()
        {
            ["Input.Host"] = product.MailServer.Endpoints.Host,
            ["Input.Port"] = product.MailServer.Endpoints.Smtp.ToString(CultureInfo.InvariantCulture),
            ["Input.Security"] = "StartTls",
            ["Input.UseAuthentication"] = "false",
        });
        saved.Status.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetAsync(Page)).Html.ShouldContain("The outgoing server was saved.");

        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var form = AccountForms.For(product, sender).With("Input.OutgoingServer", "").With("Input.TestRecipient", recipient.Address);
        (await user.Session.GetAsync(AccountForms.AddPage)).Html.ShouldContain(">System default server<");

        (await user.Session.SubmitAsync(AccountForms.AddPage, form, "SendTest")).Html.ShouldContain("Test email sent");
        (await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("MailAccounts test email"))).From.Mailboxes.Single().Address
            .ShouldBe(sender.Address);
    }

    [Fact]
    public async Task only_administrators_may_set_it()
    {
        using var user = await product.NewUserAsync();

        var page = await user.Session.GetAsync(Page);

        page.Status.ShouldBe(HttpStatusCode.Redirect);
        page.Location!.ToString().ShouldContain("/Forbidden");
    }
}
