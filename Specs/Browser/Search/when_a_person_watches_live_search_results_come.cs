using System.Globalization;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using MailAccounts.Specs.Browser.Layout;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser.Search;

/// <summary>
/// A search of all accounts where one account's server never answers, as a person sees it: the page comes at once,
/// the letter found on the answering account is there to open while the status still says the search goes on, then
/// the silent account is named as not answering in time and the status gives the total; Back from the opened letter
/// returns to the same results. In English on a desktop and in Russian at a phone's width.
/// </summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed partial class when_a_person_watches_live_search_results_come(ProductFixture product)
{
    private static ILocator Subjects(IPage page) => page.Locator("#messages tr[data-message] [data-subject]");

    [Theory]
    [InlineData("en", false)]
    [InlineData("ru", true)]
    public async Task the_found_letter_opens_while_the_search_goes_on_and_the_silent_account_is_named_at_the_end(string culture, bool phone)
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        var now = DateTimeOffset.UtcNow;
        using (var client = await product.SignInAsync(mailbox))
        {
            var letter = new MimeMessage { Subject = "Invoice 2001", Date = now, Body = new TextPart("plain") { Text = "Pay by Friday" } };
            letter.From.Add(MailboxAddress.Parse("anna@acme.test"));
            await client.Inbox.AppendAsync(new AppendRequest(letter, MessageFlags.None, now.AddHours(-1)));
        }

        var answering = "Answering " + Guid.NewGuid().ToString("N")[..6];
        var accountId = await product.AccountSendingAsAsync(user, mailbox, answering);
        var silent = "Silent " + Guid.NewGuid().ToString("N")[..6];
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.Valid(silent, "silent@specs.test")
            .With("Input.Host", product.MailServer.Endpoints.Host)
            .With("Input.Port", product.Misbehaving.SilentPort.ToString(CultureInfo.InvariantCulture)));
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user, phone ? Pages.Phone : new BrowserNewContextOptions());
        await page.GotoAsync("/Email");
        await page.InLanguageAsync(culture);
        var results = $"{product.BaseAddress.ToString().TrimEnd('/')}/Email?account={accountId}&folder=INBOX&q=invoice&scope=all";

        await page.GotoAsync(results);

        var status = page.Locator("[data-search-found]");
        await Assertions.Expect(Subjects(page)).ToHaveTextAsync(["Invoice 2001"]);
        await Assertions.Expect(status).ToHaveAttributeAsync("data-searching", "true");
        await Assertions.Expect(status).ToHaveTextAsync(Searching(culture));
        await Assertions.Expect(status).ToHaveAttributeAsync("aria-live", "polite");
        await Subjects(page).First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Email/Message", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("h1, h2").Filter(new() { HasText = "Invoice 2001" }).First).ToBeVisibleAsync();

        await page.GoBackAsync();
        page.Url.ShouldBe(results);
        await Assertions.Expect(Subjects(page)).ToHaveTextAsync(["Invoice 2001"]);
        var note = product.Word("Search.FolderTimedOut", culture).Replace("{0}", ProductFixture.SearchFolderSeconds.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-not-searched] li")).ToHaveTextAsync([$"{silent}: {note}"]);
        await Assertions.Expect(status).ToHaveTextAsync(product.Word("Search.Found", culture).Replace("{0}", "1"));
        await Assertions.Expect(status).Not.ToHaveAttributeAsync("data-searching", "true");
        await Assertions.Expect(page.Locator("#messages [data-account-title]")).ToHaveTextAsync([answering]);

        var axe = await page.RunAxe();
        axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ShouldBeEmpty();
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(phone ? 390 : 1366);
    }

    /// <summary>The status while folders are still answering, whatever the counts ("Searching 6 folders… 5 answered").</summary>
    private Regex Searching(string culture)
    {
        var said = product.Word("Search.Searching.Many", culture);
        return new Regex("^" + Regex.Escape(said).Replace("\\{0}", "\\d+", StringComparison.Ordinal).Replace("\\{1}", "\\d+", StringComparison.Ordinal) + "$");
    }
}
