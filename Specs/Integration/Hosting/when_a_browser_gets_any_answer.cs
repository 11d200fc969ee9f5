using System.Net;
using MailAccounts.Specs.Support;
using MimeKit;

namespace MailAccounts.Specs.Integration.Hosting;

/// <summary>
/// Every answer, whatever produced it (a page, a redirect, a static file, a 404, a download), forbids framing by
/// other sites, sniffing and leaking the product's addresses in a Referer; pages with a policy of their own keep it.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_browser_gets_any_answer(ProductFixture product)
{
    [Fact]
    public async Task it_forbids_framing_and_sniffing_and_sets_a_referrer_policy()
    {
        using var user = await product.NewUserAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = product.BaseAddress };

        foreach (var path in new[] { "/SignIn", "/", "/site.css", "/no-such-page" })
        {
            using var response = await anonymous.GetAsync(path);
            Hardened(response, path);
        }

        foreach (var path in new[] { "/Email/Settings/Accounts", "/Email/Compose", "/Email/Outbox", "/Admin/Users" })
        {
            using var response = await user.Session.GetResponseAsync(path);
            Hardened(response, path);
        }

        using var compose = await user.Session.GetResponseAsync("/Email/Compose");
        Policy(compose).ShouldContain("script-src 'self'", customMessage: "Compose keeps its own policy");
    }

    [Fact]
    public async Task the_message_page_keeps_its_own_policy_and_sends_no_referrer_and_the_attachment_keeps_its_sandbox()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Headers"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var body = new BodyBuilder { HtmlBody = "<p>Hello <a href=\"https://example.invalid/\">there</a></p>" };
        body.Attachments.Add("note.txt", "hello"u8.ToArray(), new ContentType("text", "plain"));
        var message = new MimeMessage { Subject = "Headers", Body = body.ToMessageBody() };
        message.From.Add(MailboxAddress.Parse("boris@" + ProductFixture.MailDomain));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        await product.DeliverAsync(mailbox, [message]);
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single();

        using var page = await user.Session.GetResponseAsync($"/Email/Message?account={account}&folder=INBOX&uid=1");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        Hardened(page, "message");
        Policy(page).ShouldContain("script-src 'self'");
        Policy(page).ShouldContain("img-src 'self' data:");
        page.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        Dom.Parse(await page.Content.ReadAsStringAsync()).One("iframe[data-message-body]").GetAttribute("referrerpolicy").ShouldBe("no-referrer");

        using var attachment = await user.Session.GetResponseAsync($"/Email/Message?handler=Attachment&account={account}&folder=INBOX&uid=1&index=0");
        attachment.StatusCode.ShouldBe(HttpStatusCode.OK);
        Hardened(attachment, "attachment");
        Policy(attachment).ShouldContain("sandbox");
    }

    private static string Policy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Content-Security-Policy", out var values) ? string.Join(", ", values) : "";

    private static void Hardened(HttpResponseMessage response, string what)
    {
        response.Headers.TryGetValues("X-Content-Type-Options", out var sniff);
        (sniff ?? []).ShouldBe(["nosniff"], what);
        response.Headers.TryGetValues("X-Frame-Options", out var frames);
        (frames ?? []).ShouldBe(["DENY"], what);
        response.Headers.TryGetValues("Referrer-Policy", out var referrer);
        (referrer ?? []).ShouldHaveSingleItem(what).ShouldBeOneOf("no-referrer", "same-origin");
        Policy(response).ShouldContain("frame-ancestors 'none'", customMessage: what);
    }
}
