using System.Globalization;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Layout;

[Collection(BrowserCollection.Name)]
public sealed class when_times_and_sizes_are_shown_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task a_message_of_today_shows_its_time_in_the_browsers_zone()
    {
        using var user = await product.NewUserAsync();
        var sent = DateTimeOffset.UtcNow;
        var (accountId, _) = await product.AccountWithAMessageAsync(user, "Today " + Guid.NewGuid().ToString("N"), sent);
        var browser = await product.BrowserAsync();

        var shown = new Dictionary<string, string>();
        foreach (var zone in new[] { "Europe/Moscow", "America/New_York" })
        {
            var page = await browser.SignedInPageAsync(user, new BrowserNewContextOptions { TimezoneId = zone });
            await page.GotoAsync($"/Email?account={accountId}");
            var time = page.Locator("#messages td.date time");
            var local = TimeZoneInfo.ConvertTime(sent, TimeZoneInfo.FindSystemTimeZoneById(zone));
            await Assertions.Expect(time).ToHaveTextAsync(local.ToString("t", CultureInfo.GetCultureInfo("en")));
            await Assertions.Expect(time).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(zone)));
            (await time.GetAttributeAsync("datetime")).ShouldBe(sent.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            shown[zone] = await time.InnerTextAsync();
        }

        shown["Europe/Moscow"].ShouldNotBe(shown["America/New_York"]);
    }

    [Fact]
    public async Task the_zone_chosen_in_general_settings_wins_over_the_browsers_and_is_in_the_history()
    {
        using var user = await product.NewUserAsync();
        var sent = DateTimeOffset.UtcNow;
        var (accountId, _) = await product.AccountWithAMessageAsync(user, "Chosen zone " + Guid.NewGuid().ToString("N"), sent);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user, new BrowserNewContextOptions { TimezoneId = "Europe/Moscow" });

        await page.GotoAsync("/Email/Settings/General");
        await page.GetByLabel(product.Word("General.TimeZone")).SelectOptionAsync("Asia/Tokyo");
        await page.GetByRole(AriaRole.Button, new() { Name = product.Word("General.SaveTimeZone") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(product.Word("General.Saved"));
        await Assertions.Expect(page.GetByLabel(product.Word("General.TimeZone"))).ToHaveValueAsync("Asia/Tokyo");

        await page.GotoAsync($"/Email?account={accountId}");
        var tokyo = TimeZoneInfo.ConvertTime(sent, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).Date;
        var english = CultureInfo.GetCultureInfo("en");
        // Near midnight in Tokyo the message may already be "yesterday" there: the short form says the day then.
        var expected = tokyo.Date == today ? tokyo.ToString("t", english) : tokyo.ToString("ddd ", english) + tokyo.ToString("t", english);
        await Assertions.Expect(page.Locator("#messages td.date time")).ToHaveTextAsync(expected);

        await page.GotoAsync("/Email/Settings/General/History");
        await Assertions.Expect(page.Locator("#history .what", new() { HasTextString = product.Word("Event.TimeZoneChosen") })).ToHaveCountAsync(1);

        // Back to the browser's zone.
        await page.GotoAsync("/Email/Settings/General");
        await page.GetByLabel(product.Word("General.TimeZone")).SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = product.Word("General.SaveTimeZone") }).ClickAsync();
        await page.GotoAsync($"/Email?account={accountId}");
        var moscow = TimeZoneInfo.ConvertTime(sent, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));
        await Assertions.Expect(page.Locator("#messages td.date time")).ToHaveTextAsync(moscow.ToString("t", english));
    }

    [Fact]
    public async Task sizes_in_russian_say_kb_and_bytes()
    {
        using var user = await product.NewUserAsync();
        var (accountId, _) = await product.AccountWithAMessageAsync(
            user, "Size " + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow, "<p>" + new string('x', 3000) + "</p>");
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync($"/Email?account={accountId}");
        await page.InLanguageAsync("ru");

        var size = page.Locator("#messages td.size");
        await Assertions.Expect(size).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(,\d)? КБ$"));
        await page.InLanguageAsync("en");
        await Assertions.Expect(size).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+(\.\d)? KB$"));
    }
}
