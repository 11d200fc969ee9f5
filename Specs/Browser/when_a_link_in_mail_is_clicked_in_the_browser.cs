using System.Collections.Concurrent;
using System.Text.Json;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// Reverse tabnabbing: a link in received mail that says rel="opener" would give the page it opens a
/// <c>window.opener</c>, through which that page could send the product's tab to a look-alike sign-in page. The
/// linked "site" here is served by the spec itself (evil.invalid never leaves the browser) and tries exactly that.
/// </summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_link_in_mail_is_clicked_in_the_browser(ProductFixture product)
{
    /// <summary>What the linked page does as it loads, and what it reports of itself.</summary>
    private const string Attacker = """
        <!DOCTYPE html><html><body><script>
          const report = { opener: window.opener !== null, referrer: document.referrer, tried: [] };
          for (const [name, go] of [['opener', () => { window.opener.location = 'https://evil.invalid/phish'; }],
                                    ['opener.top', () => { window.opener.top.location = 'https://evil.invalid/phish'; }],
                                    ['opener.parent', () => { window.opener.parent.location = 'https://evil.invalid/phish'; }]]) {
            try { go(); report.tried.push(name + ': done'); } catch (e) { report.tried.push(name + ': ' + e.name); }
          }
          window.__report = JSON.stringify(report);
        </script></body></html>
        """;

    [Fact]
    public async Task a_rel_opener_link_opens_a_tab_that_cannot_reach_the_products_tab_nor_learn_its_address()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        var message = new MimeMessage
        {
            Subject = "Your invoice",
            Body = new TextPart("html") { Text = "<p>Please see <a href=\"https://evil.invalid/invoice\" rel=\"opener\" target=\"_blank\">the invoice</a>.</p>" },
        };
        message.From.Add(MailboxAddress.Parse("billing@evil.invalid"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        await product.DeliverAsync(mailbox, [message]);
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Tabnabbing"))).Status
            .ShouldBe(System.Net.HttpStatusCode.Redirect);
        var account = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).Single().Id;

        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        var reached = new ConcurrentQueue<string>();
        await page.Context.RouteAsync("https://evil.invalid/**", async route =>
        {
            reached.Enqueue($"{route.Request.Url} referer={(route.Request.Headers.TryGetValue("referer", out var referer) ? referer : "none")}");
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = Attacker });
        });
        var messageUrl = $"/Email/Message?account={account}&folder=INBOX&uid=1";
        await page.GotoAsync(messageUrl);

        var opened = await page.Context.RunAndWaitForPageAsync(() =>
            page.FrameLocator("iframe.message-body").GetByRole(AriaRole.Link, new() { Name = "the invoice" }).ClickAsync());
        await opened.WaitForFunctionAsync("() => window.__report !== undefined");
        var report = JsonDocument.Parse(await opened.EvaluateAsync<string>("() => window.__report")).RootElement;
        await page.WaitForLoadStateAsync();

        report.GetProperty("opener").GetBoolean().ShouldBeFalse($"the linked page has a window.opener: {report}");
        report.GetProperty("referrer").GetString().ShouldBeEmpty("the linked page learnt where it was linked from");
        page.Url.ShouldEndWith(messageUrl, customMessage: "the product's tab was sent elsewhere");
        page.Frames.ShouldContain(f => f.Url == "about:srcdoc", "the message frame is still the message");
        reached.ToArray().ShouldBe(new[] { "https://evil.invalid/invoice referer=none" }, customMessage: string.Join(Environment.NewLine, reached));
        await page.Context.CloseAsync();
    }
}
