using Deque.AxeCore.Playwright;
using MailAccounts.Specs.Browser.Layout;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser.Search;

/// <summary>
/// The search box above the live list, as a person uses it: a query word in the box, a refinement in the advanced
/// form (which shows what the box said), a result opened and Back to the same results; in English on a desktop and in
/// Russian at a phone's width, with no serious accessibility violation.
/// </summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_person_searches_live_mail_in_the_browser(ProductFixture product)
{
    private static MimeMessage Letter(string subject, string from, DateTimeOffset date)
    {
        var message = new MimeMessage { Subject = subject, Date = date, Body = new TextPart("plain") { Text = "Body of " + subject } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        return message;
    }

    private static ILocator Subjects(IPage page) => page.Locator("#messages tr[data-message] [data-subject]");

    [Theory]
    [InlineData("en", false)]
    [InlineData("ru", true)]
    public async Task a_query_word_then_a_refinement_find_the_letter_and_back_returns_to_the_same_results(string culture, bool phone)
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        var now = DateTimeOffset.UtcNow;
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.Inbox.AppendAsync(new AppendRequest(Letter("Invoice 1001", "anna@acme.test", now.AddHours(-3)), MessageFlags.None, now.AddHours(-3)));
            await client.Inbox.AppendAsync(new AppendRequest(Letter("Invoice 1002", "boris@specs.test", now.AddHours(-2)), MessageFlags.Seen, now.AddHours(-2)));
            await client.Inbox.AppendAsync(new AppendRequest(Letter("Lunch on Friday", "anna@acme.test", now.AddHours(-1)), MessageFlags.None, now.AddHours(-1)));
        }

        await product.AccountSendingAsAsync(user, mailbox, "Search box " + Guid.NewGuid().ToString("N")[..6]);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user, phone ? Pages.Phone : new BrowserNewContextOptions());
        await page.GotoAsync("/Email");
        await page.InLanguageAsync(culture);
        await Assertions.Expect(Subjects(page)).ToHaveCountAsync(3);

        await page.GetByLabel(product.Word("Search.Box", culture)).FillAsync("subject:invoice");
        await page.GetByLabel(product.Word("Search.Box", culture)).PressAsync("Enter");
        await Assertions.Expect(Subjects(page)).ToHaveTextAsync(["Invoice 1002", "Invoice 1001"]);
        page.Url.ShouldContain("q=subject%3Ainvoice");

        // The form says what the box said: the subject is in its field, ready to refine.
        await Assertions.Expect(page.Locator("details[data-search-advanced][open]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByLabel(product.Word("Search.Subject", culture), new() { Exact = true })).ToHaveValueAsync("invoice");
        await page.GetByLabel(product.Word("Search.unread", culture)).SelectOptionAsync("yes");
        await page.Locator("[data-search-advanced-submit]").ClickAsync();
        await Assertions.Expect(Subjects(page)).ToHaveTextAsync(["Invoice 1001"]);
        var results = page.Url;
        results.ShouldContain("unread=yes");
        results.ShouldContain("subject=invoice");

        var axe = await page.RunAxe();
        axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ShouldBeEmpty();
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(phone ? 390 : 1366);

        await Subjects(page).First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Email/Message", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("h1, h2").Filter(new() { HasText = "Invoice 1001" }).First).ToBeVisibleAsync();

        await page.GoBackAsync();
        page.Url.ShouldBe(results);
        await Assertions.Expect(Subjects(page)).ToHaveTextAsync(["Invoice 1001"]);
        await Assertions.Expect(page.GetByLabel(product.Word("Search.unread", culture))).ToHaveValueAsync("yes");
    }
}
