using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Layout;

/// <summary>axe-core on the pages people use most, in both languages: no serious or critical violation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class when_axe_checks_the_pages(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_client_compose_and_settings_have_no_serious_violation(string culture)
    {
        using var user = await product.NewUserAsync();
        var (accountId, _) = await product.AccountWithAMessageAsync(user, "Axe " + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.InLanguageAsync(culture);

        // A change in General settings gives its history a row to check.
        await page.GotoAsync("/Email/Settings/General");
        await page.Locator("#time-zone").SelectOptionAsync("Europe/Berlin");
        await page.Locator("#time-zone-settings button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToBeVisibleAsync();

        // Imported mail: a letter with an attachment, one of its thread, and a message that could not be imported.
        var letter = await product.ImportLetterAsync(accountId, ImportedLetters.Message("Axe imported", "<p>Imported <img src=\"https://images.example.org/a.png\" alt=\"\"></p>",
            ("axe.txt", "axe"u8.ToArray()), messageId: "axe-" + Guid.NewGuid().ToString("N") + "@specs.test"));
        await product.QuarantineMessageAsync(accountId, "FormatException: not a message");

        var found = new List<string>();
        foreach (var path in new[]
                 {
                     $"/Email?account={accountId}", $"/Email/Compose?account={accountId}", "/Email/Settings/Accounts",
                     $"/Email/Settings/Accounts/Edit/{accountId}", "/Email/Settings/General", "/Email/Settings/General/History",
                     "/Email/Imported", $"/Email/Imported/Letter?id={letter}", "/Email/Imported/Failed",
                 })
        {
            found.AddRange(await SeriousAsync(page, path));
        }

        found.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_administrators_pages_have_no_serious_violation(string culture)
    {
        using var administrator = new TestUser(AdministratorSeeding.Login, ProductFixture.AdministratorPassword, product.NewSession());
        var page = await (await product.BrowserAsync()).SignedInPageAsync(administrator);
        await page.InLanguageAsync(culture);

        var found = new List<string>();
        foreach (var path in new[] { "/Admin/Diagnostics", "/Admin/Accounts", "/Admin/Users", "/Admin/SignInProviders", "/Admin/SignInProviders/Edit" })
        {
            found.AddRange(await SeriousAsync(page, path));
        }

        found.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_sign_in_with_a_provider_and_reconnect_pages_have_no_serious_violation(string culture)
    {
        using var user = await product.NewUserAsync();
        var oauth = await product.AddAsync(user);
        await product.MailServer.AuthorizationServer.RevokeGrantsAsync(oauth.Mailbox.Address);
        (await user.Session.GetAsync($"/Email?account={oauth.AccountId}")).Dom.One($"[data-needs-reconnecting='{oauth.AccountId}']");
        var mailbox = await product.NewMailboxAsync();
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.InLanguageAsync(culture);

        // The form back from the provider's page, signed in.
        await page.GotoAsync(AccountForms.AddPage);
        await page.Locator("#Input_Address").FillAsync(mailbox.Address);
        await page.Locator("[data-sign-in-with]").First.ClickAsync();
        await page.Locator("#password").FillAsync(mailbox.Password);
        await page.Locator("button[value=allow]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-signed-in]")).ToContainTextAsync(mailbox.Address);
        var signedIn = new Uri(page.Url).PathAndQuery;

        var found = new List<string>();
        foreach (var path in new[]
                 {
                     AccountForms.AddPage, signedIn, $"/Email/Settings/Accounts/Edit/{oauth.AccountId}", "/Email/Settings/Accounts",
                     $"/Email?account={oauth.AccountId}", $"/Email/Settings/Accounts/History/{oauth.AccountId}",
                     MailAccounts.WebHost.Pages.Email.Settings.Accounts.SignedInModel.Path + "?state=forged",
                 })
        {
            found.AddRange(await SeriousAsync(page, path));
        }

        found.ShouldBeEmpty();
    }

    private static async Task<IEnumerable<string>> SeriousAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        // axe waits for a frame's own axe to answer, which a sandboxed frame that runs no script never does: the letter's
        // frame holds the sender's markup, not the product's, and is left out.
        var result = await page.RunAxe(path.Contains("/Letter", StringComparison.Ordinal) ? new AxeRunOptions { Iframes = false } : null);
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{path}: {v.Id} ({v.Impact}) at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}");
    }
}
