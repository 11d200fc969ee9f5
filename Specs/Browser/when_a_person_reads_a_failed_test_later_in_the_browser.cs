using System.Text.RegularExpressions;
using MailAccounts.Domain.Accounts;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// A failed test is read again later, where the account's news is kept: its settings history and the accounts list
/// give the advice the test report gave, in the page's language, with the server's own words in a details line.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed partial class when_a_person_reads_a_failed_test_later_in_the_browser(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_history_and_the_accounts_list_give_the_advice_in_the_pages_language_and_the_servers_words(string culture)
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, mailbox, "Advised box");
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync($"/Email/Settings/Accounts/Edit/{account}");
        if (culture != "en")
        {
            await page.Locator("#culture-switch").SelectOptionAsync(culture);
            await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
        }

        await page.Locator("#Input_Password").FillAsync("not the password");
        await page.Locator("button[formaction$='handler=Test']").First.ClickAsync();
        await Assertions.Expect(page.Locator("#incoming-report [data-advice='Advice.CheckPassword']")).ToBeVisibleAsync();
        var said = (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<ConnectionTested>().Last(t => !t.Succeeded)
            .Failure.ShouldNotBeNull("the test keeps its facts").Words.ShouldNotBeNull();
        var advice = Sentence(product.Word("Advice.CheckPassword", culture));

        await page.GotoAsync($"/Email/Settings/Accounts/History/{account}");
        var failed = page.Locator("#history tr[data-event='ConnectionTested']", new() { Has = page.Locator("[data-advice='Advice.CheckPassword']") });
        await Assertions.Expect(failed).ToHaveCountAsync(1);
        await Assertions.Expect(failed.Locator("[data-advice]")).ToHaveTextAsync(advice);
        await Assertions.Expect(failed.Locator("[data-server-words]")).ToContainTextAsync(product.Word("Advice.ServerSaid", culture));
        await Assertions.Expect(failed.Locator("[data-server-words]")).ToContainTextAsync(said);

        await page.GotoAsync("/Email/Settings/Accounts");
        var status = page.Locator($"#accounts tr[data-account='{account}'] td.status");
        await Assertions.Expect(status).ToHaveAttributeAsync("data-advice", "Advice.CheckPassword");
        await Assertions.Expect(status).ToHaveClassAsync(new Regex(@"\bfailed\b"));
        await Assertions.Expect(status).ToContainTextAsync(advice);
        await Assertions.Expect(status.Locator("[data-server-words]")).ToContainTextAsync(said);
    }

    /// <summary>The resource's sentence with its values filled in, whatever they are.</summary>
    private static Regex Sentence(string word) => new(string.Join(".*", Placeholder().Split(word).Select(Regex.Escape)));

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
