using System.Globalization;
using System.Net;
using MailKit.Search;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Secrets;
using Microsoft.Extensions.DependencyInjection;
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
        refused.ErrorAt("Input.Host").ShouldBe(product.Word(AccountViolations.HostInvalid));

        var saved = await admin.SubmitAsync(Page, new()
        {
            ["Input.Host"] = product.MailServer.Endpoints.Host,
            ["Input.Port"] = product.MailServer.Endpoints.Smtp.ToString(CultureInfo.InvariantCulture),
            ["Input.Security"] = "StartTls",
            ["Input.UseAuthentication"] = "false",
        });
        saved.Status.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetAsync(Page)).Dom.Texts("[role=status]").ShouldContain(product.Word("SystemServer.Saved"));

        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var form = AccountForms.For(product, sender).With("Input.OutgoingServer", "").With("Input.TestRecipient", recipient.Address);
        (await user.Session.GetAsync(AccountForms.AddPage)).Dom.All("select[name=\"Input.OutgoingServer\"] option").Select(o => (o.GetAttribute("value"), o.TextContent))
            .ShouldContain(("", product.Word("Outgoing.SystemDefault")));

        (await user.Session.SubmitAsync(AccountForms.AddPage, form, "SendTest")).Dom.Body.ShouldContain(product.Word("Test.EmailSent"));
        (await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("MailAccounts test email"))).From.Mailboxes.Single().Address
            .ShouldBe(sender.Address);
    }

    [Fact]
    public async Task when_its_host_or_port_changes_without_the_password_typed_again_nothing_is_saved()
    {
        using var admin = await product.AdministratorAsync();
        var server = Relay("relay-" + Guid.NewGuid().ToString("N"));
        (await admin.SubmitAsync(Page, server)).Status.ShouldBe(HttpStatusCode.Redirect);
        var before = await product.EventsOfAsync(OutgoingServer.SystemDefaultId);

        foreach (var (field, value) in new[] { ("Input.Host", "smtp.attacker.example"), ("Input.Port", "2525") })
        {
            var refused = await admin.SubmitAsync(Page, server.With("Input.Password", "").With(field, value));

            refused.Status.ShouldBe(HttpStatusCode.OK, field);
            refused.ErrorAt("Input.Password").ShouldBe(product.Word(AccountViolations.PasswordRequiredForServer));
            (await product.EventsOfAsync(OutgoingServer.SystemDefaultId)).Select(e => e.Id).ShouldBe(before.Select(e => e.Id), field);
        }

        (await admin.SubmitAsync(Page, server.With("Input.Host", "smtp.other.example"))).Status.ShouldBe(HttpStatusCode.Redirect);

        // Back to the private Postfix without a login, as the other specs of this product expect it.
        (await admin.SubmitAsync(Page, PrivatePostfix())).Status.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task when_its_password_is_replaced_or_no_longer_used_its_ciphertext_is_deleted()
    {
        using var admin = await product.AdministratorAsync();
        var server = Relay("first-" + Guid.NewGuid().ToString("N"));
        (await admin.SubmitAsync(Page, server)).Status.ShouldBe(HttpStatusCode.Redirect);
        var first = (await SystemServerAsync())!.PasswordSecretId!.Value;
        (await StoredAsync(first)).ShouldBeTrue();

        (await admin.SubmitAsync(Page, server.With("Input.Password", "second-" + Guid.NewGuid().ToString("N")))).Status.ShouldBe(HttpStatusCode.Redirect);
        var second = (await SystemServerAsync())!.PasswordSecretId!.Value;
        second.ShouldNotBe(first);
        (await StoredAsync(first)).ShouldBeFalse("the replaced password's ciphertext");
        (await StoredAsync(second)).ShouldBeTrue();

        // Back to the private Postfix without a login: the password is no longer used.
        (await admin.SubmitAsync(Page, PrivatePostfix())).Status.ShouldBe(HttpStatusCode.Redirect);
        (await StoredAsync(second)).ShouldBeFalse("the password no longer used");
    }

    /// <summary>A relay that wants a login: the server form as an administrator fills it.</summary>
    private static Dictionary<string, string> Relay(string password) => new()
    {
        ["Input.Host"] = "smtp.example.com",
        ["Input.Port"] = "587",
        ["Input.Security"] = "StartTls",
        ["Input.UseAuthentication"] = "true",
        ["Input.Login"] = "relay",
        ["Input.Password"] = password,
    };

    /// <summary>The private Postfix without a login, as the other specs of this product expect the system server.</summary>
    private Dictionary<string, string> PrivatePostfix() => new()
    {
        ["Input.Host"] = product.MailServer.Endpoints.Host,
        ["Input.Port"] = product.MailServer.Endpoints.Smtp.ToString(CultureInfo.InvariantCulture),
        ["Input.Security"] = "StartTls",
        ["Input.UseAuthentication"] = "false",
    };

    private async Task<OutgoingServer?> SystemServerAsync()
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<OutgoingServer>(OutgoingServer.SystemDefaultId);
    }

    private async Task<bool> StoredAsync(Guid secretId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<ProtectedSecret>(secretId) is not null;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task a_test_email_before_saving_joins_the_history_only_if_the_system_server_it_went_through_is_still_there(bool movedBeforeDone)
    {
        using var admin = await product.AdministratorAsync();
        var postfix = PrivatePostfix();
        (await admin.SubmitAsync(Page, postfix)).Status.ShouldBe(HttpStatusCode.Redirect);
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var tested = await user.Session.SubmitAsync(AccountForms.AddPage,
            AccountForms.For(product, sender).With("Input.OutgoingServer", "").With("Input.TestRecipient", recipient.Address), "SendTest");
        tested.Dom.Body.ShouldContain(product.Word("Test.EmailSent"));

        if (movedBeforeDone)
        {
            (await admin.SubmitAsync(Page, postfix.With("Input.Port", "2525"))).Status.ShouldBe(HttpStatusCode.Redirect);
        }

        try
        {
            var done = Form.Of(tested.Html, "form[data-account-form]", AccountForms.AddPage);
            done["Input.Password"] = sender.Password;
            (await user.Session.PostAsync(done)).Status.ShouldBe(HttpStatusCode.Redirect);
            var history = (await user.Session.GetAsync(AccountForms.HistoryPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html))).Events().Select(e => e.Event);
            history.ShouldContain(nameof(AccountCreated));
            history.Contains(nameof(TestEmailSent)).ShouldBe(!movedBeforeDone);
        }
        finally
        {
            (await admin.SubmitAsync(Page, postfix)).Status.ShouldBe(HttpStatusCode.Redirect);
        }
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
