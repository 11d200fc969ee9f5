using System.Globalization;
using System.Net;
using Marten;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace MailAccounts.Specs.Integration.Outgoing;

/// <summary>
/// The system's default outgoing server signs in with the organisation's login, so it sends only From addresses in
/// the domains an administrator allowed (security review, finding 5); users' own servers are not restricted.
/// </summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_the_system_server_sends_only_from_allowed_domains(ProductFixture product)
{
    private const string Page = "/Admin/OutgoingServer";

    private Dictionary<string, string> ServerForm(string domains) => new()
    {
        ["Input.Host"] = product.MailServer.Endpoints.Host,
        ["Input.Port"] = product.MailServer.Endpoints.Smtp.ToString(CultureInfo.InvariantCulture),
        ["Input.Security"] = "StartTls",
        ["Input.UseAuthentication"] = "false",
        ["Input.SenderDomains"] = domains,
    };

    /// <summary>The fixture's own list again, so that the other specs of the collection send as before.</summary>
    private async Task RestoreAsync(UserSession admin) =>
        (await admin.SubmitAsync(Page, ServerForm(string.Join("\n", ProductFixture.SenderDomains)))).Status.ShouldBe(HttpStatusCode.Redirect);

    [Fact]
    public async Task the_account_form_refuses_another_domains_from_address_on_the_system_server_but_not_on_the_users_own()
    {
        using var admin = await product.AdministratorAsync();
        await RestoreAsync(admin);
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var userId = await product.UserIdAsync(user.Login);

        var refused = await user.Session.SubmitAsync(AccountForms.AddPage,
            AccountForms.For(product, mailbox).With("Input.OutgoingServer", "").With("Input.OutgoingAddress", "ceo@company.example"));

        refused.Status.ShouldBe(HttpStatusCode.OK);
        // The allowed domains are named where the user chose the address.
        refused.ErrorAt("Input.OutgoingAddress").ShouldBe($"{product.Word(OutgoingViolations.SenderDomainNotAllowed)} specs.test, example.com, example.org");
        (await product.AccountsOfAsync(userId)).ShouldBeEmpty();

        // The same From through a server of the user's own: its login decides, not this list.
        var own = await user.Session.SubmitAsync(AccountForms.AddPage,
            AccountForms.SendingAs(product, mailbox).With("Input.OutgoingAddress", "ceo@company.example"));
        own.Status.ShouldBe(HttpStatusCode.Redirect);
        (await product.AccountsOfAsync(userId)).ShouldHaveSingleItem().Outgoing!.Address.ShouldBe("ceo@company.example");
    }

    [Fact]
    public async Task the_send_test_email_button_refuses_another_domains_from_address_on_the_system_server()
    {
        using var admin = await product.AdministratorAsync();
        await RestoreAsync(admin);
        var mailbox = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync(AccountForms.AddPage,
            AccountForms.For(product, mailbox).With("Input.OutgoingServer", "").With("Input.OutgoingAddress", "ceo@company.example")
                .With("Input.TestRecipient", recipient.Address), "SendTest");

        page.Dom.Body.ShouldContain(product.Word(OutgoingViolations.SenderDomainNotAllowed));
        page.Dom.Body.ShouldNotContain(product.Word("Test.EmailSent"));
    }

    [Fact]
    public async Task an_administrator_sees_and_edits_the_domains_and_the_change_is_in_the_servers_history()
    {
        using var admin = await product.AdministratorAsync();
        await RestoreAsync(admin);
        (await admin.GetAsync(Page)).Dom.Field("Input.SenderDomains").ShouldBe("specs.test\nexample.com\nexample.org");

        var before = (await product.EventsOfAsync(OutgoingServer.SystemDefaultId)).Count;
        var refused = await admin.SubmitAsync(Page, ServerForm("specs.test\nnot a domain!"));
        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.ErrorAt("Input.SenderDomains").ShouldBe($"{product.Word(OutgoingViolations.SenderDomainInvalid)} not, a, domain!");
        (await product.EventsOfAsync(OutgoingServer.SystemDefaultId)).Count.ShouldBe(before);

        // A form without the field (a script's) leaves the domains as they are.
        var withoutField = ServerForm("");
        withoutField.Remove("Input.SenderDomains");
        (await admin.SubmitAsync(Page, withoutField)).Status.ShouldBe(HttpStatusCode.Redirect);
        (await product.EventsOfAsync(OutgoingServer.SystemDefaultId)).Count.ShouldBe(before);

        var saved = await admin.SubmitAsync(Page, ServerForm("specs.test, example.com\nexample.org\n@Partners.Example"));
        saved.Status.ShouldBe(HttpStatusCode.Redirect);
        try
        {
            (await admin.GetAsync(Page)).Dom.Field("Input.SenderDomains").ShouldBe("specs.test\nexample.com\nexample.org\npartners.example");
            var events = await product.EventsOfAsync(OutgoingServer.SystemDefaultId);
            events.Select(e => e.Data).OfType<SenderDomainsChosen>().Last().Domains
                .ShouldBe(["specs.test", "example.com", "example.org", "partners.example"]);
            var history = await admin.GetAsync($"/Email/Settings/OutgoingServers/History/{OutgoingServer.SystemDefaultId}");
            history.Events().Select(e => e.Event).ShouldContain(nameof(SenderDomainsChosen));
            history.Changes().ShouldContain(c => c.After != null && c.After.Contains("partners.example"));
        }
        finally
        {
            await RestoreAsync(admin);
        }
    }

    [Fact]
    public async Task compose_and_delivery_refuse_a_from_address_whose_domain_is_no_longer_allowed()
    {
        using var admin = await product.AdministratorAsync();
        await RestoreAsync(admin);
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var userId = await product.UserIdAsync(user.Login);
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, sender).With("Input.OutgoingServer", "")))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await product.AccountsOfAsync(userId)).Single().Id;

        (await admin.SubmitAsync(Page, ServerForm("example.com"))).Status.ShouldBe(HttpStatusCode.Redirect);
        try
        {
            var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
            form["Input.To"] = recipient.Address;
            form["Input.Subject"] = "From a domain no longer allowed";
            var refused = await user.Session.PostAsync(form);

            refused.Status.ShouldBe(HttpStatusCode.OK);
            refused.Dom.Body.ShouldContain(product.Word(OutgoingViolations.SenderDomainNotAllowed));
            (await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m is not null))!.Status.ShouldBe(OutgoingMailStatus.Draft);

            // A message queued before the change (here: stored as queued directly) is refused when it goes, not sent.
            var now = DateTimeOffset.UtcNow;
            var queued = new OutgoingMail(Guid.CreateVersion7(), userId, account, recipient.Address, "", "", "Queued before the change", "Hello", true,
                null, [], [], OutgoingMailStatus.Queued, now, now, MessageId: $"<{Guid.NewGuid():N}@specs.test>", QueuedAt: now, NextAttemptAt: now);
            await using (var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                session.Store(queued);
                await session.SaveChangesAsync();
            }

            await using (var scope = product.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new DeliverMail(queued.Id, 1));
            }

            var notSent = await product.WaitForOutgoingAsync(queued.Id, m => m is null || m.Status == OutgoingMailStatus.NotSent);
            notSent.ShouldNotBeNull("the message was sent through the system's server from a domain it may not send from");
            notSent!.Problem.ShouldBe($"The system's default outgoing server sends only from addresses in example.com; not from {sender.Address}.");
        }
        finally
        {
            await RestoreAsync(admin);
        }
    }
}
