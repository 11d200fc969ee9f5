using System.Net;
using MailKit.Search;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

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

        ConnectionReport.In(page.Html).Passed.ShouldBeTrue();
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

        var report = ConnectionReport.In(page.Html);
        report.Failed.Stage.ShouldBe("Authentication");
        report.Failed.Detail.ShouldContain("535");
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
        var serverId = AccountForms.FormIn(editPage.Html)["Input.OutgoingServer"];
        serverId.ShouldNotBeEmpty();

        var page = await user.Session.SubmitAsync(edit, AccountForms.For(product, sender)
            .With("Input.Title", "Sender").With("Input.Password", "").With("Input.OutgoingServer", serverId)
            .With("Input.TestRecipient", recipient.Address), "SendTest");

        ConnectionReport.In(page.Html).Passed.ShouldBeTrue();
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("MailAccounts test email"));
        var account = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).ShouldHaveSingleItem();
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var sent = (await session.Events.FetchStreamAsync(account.Id)).Select(e => e.Data).OfType<TestEmailSent>().ShouldHaveSingleItem();
        sent.To.ShouldBe(recipient.Address);
        sent.Succeeded.ShouldBeTrue();
    }

    [Fact]
    public async Task without_a_configured_system_server_the_user_is_asked_to_choose_one()
    {
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync(AccountForms.AddPage,
            AccountForms.Valid("No server", "anna@example.com").With("Input.TestRecipient", recipient.Address), "SendTest");

        ConnectionReport.In(page.Html).Refusal.ShouldBe("Test.NoOutgoingServer");
    }

    [Fact]
    public async Task it_is_written_as_real_mail_with_a_plain_text_alternative_and_sanitised_html()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        await user.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new()
        {
            ["Input.Name"] = "Scripted",
            ["Input.Html"] = "<p>Regards, {{ account.name }}</p><script>alert('signature')</script><img src=\"x\" onerror=\"alert('img')\">",
        });
        await using (var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var signature = (await MailSettingsQueries.ForUserAsync(session, await product.UserIdAsync(user.Login), CancellationToken.None)).Signatures.ShouldHaveSingleItem();
            var page = await user.Session.SubmitAsync(AccountForms.AddPage,
                AccountForms.SendingAs(product, sender).With("Input.TestRecipient", recipient.Address).With("Input.SignatureId", signature.Id.ToString()), "SendTest");
            ConnectionReport.In(page.Html).Passed.ShouldBeTrue();
        }

        var arrived = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("MailAccounts test email"));
        var alternative = arrived.Body.ShouldBeOfType<MultipartAlternative>();
        alternative.OfType<TextPart>().Select(p => p.ContentType.MimeType).ShouldBe(["text/plain", "text/html"]);
        arrived.TextBody.ShouldNotBeNull().ShouldContain("Regards, Anna Smirnova");
        var html = arrived.HtmlBody.ShouldNotBeNull();
        html.ShouldContain("Regards, Anna Smirnova");
        html.ShouldNotContain("<script", Case.Insensitive);
        html.ShouldNotContain("onerror", Case.Insensitive);
    }
}
