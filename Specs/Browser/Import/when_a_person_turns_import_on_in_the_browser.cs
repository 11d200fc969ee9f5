using System.Globalization;
using Marten;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Import;

/// <summary>
/// The account form's "Import into the system" part in a browser: turned on for all mail and saved, the choice is a
/// line of the account's History, and Settings » Accounts shows the import's state, moving without a reload while it runs.
/// </summary>
/// <remarks>The running states are stored as the importer stores them (<see cref="ImportProgress"/> is live state, not an event).</remarks>
[Collection(ProductCollection.Name)]
public sealed class when_a_person_turns_import_on_in_the_browser(ProductFixture product)
{
    private static async Task InAsync(IPage page, string culture)
    {
        if (culture == "en")
        {
            return;
        }

        await page.Locator("#culture-switch").SelectOptionAsync(culture);
        await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
    }

    private static ILocator ImportOf(IPage page, Guid account) => page.Locator($"#accounts tr[data-account='{account}'] [data-import-progress='{account}']");

    /// <summary>A user's account, with import off or (<paramref name="importing"/>) on for all mail.</summary>
    private async Task<(TestUser User, Guid Account, string Title)> AccountAsync(bool importing = false)
    {
        var user = await product.NewUserAsync();
        var title = "Imported " + Guid.NewGuid().ToString("N")[..6];
        var form = AccountForms.Valid(title, "import@example.com");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(System.Net.HttpStatusCode.Redirect);
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountId(title);
        if (importing)
        {
            var edit = $"/Email/Settings/Accounts/Edit/{account}";
            var version = AccountForms.FormIn((await user.Session.GetAsync(edit)).Html)["Input.Version"];
            (await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.ImportOn", "true").With("Input.ImportAll", "true").With("Input.Version", version)))
                .Status.ShouldBe(System.Net.HttpStatusCode.Redirect);
        }

        return (user, account, title);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task turning_import_on_for_all_mail_shows_in_history_and_in_the_import_column(string culture)
    {
        var (user, account, _) = await AccountAsync();
        using var _ = user;
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync($"/Email/Settings/Accounts/Edit/{account}");
        await InAsync(page, culture);

        var since = page.Locator("#Input_ImportSince");
        await Assertions.Expect(since).ToHaveValueAsync(MailAccounts.Domain.Import.ImportRules.DefaultSince(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#Input_ImportAll_false")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("fieldset[data-import-choice]")).ToContainTextAsync(product.Word("Import.NeverChangesServer", culture));
        await page.Locator("#Input_ImportOn").CheckAsync();
        await page.Locator("#Input_ImportAll_true").CheckAsync();
        await page.Locator("form[data-account-form] button.primary").ClickAsync();

        await page.WaitForURLAsync("**/Email/Settings/Accounts");
        var import = ImportOf(page, account);
        await Assertions.Expect(import).Not.ToHaveAttributeAsync("data-import-state", "off");
        await Assertions.Expect(page.Locator("#accounts thead")).ToContainTextAsync(product.Word("Accounts.Import", culture));

        await page.GotoAsync($"/Email/Settings/Accounts/History/{account}");
        var line = page.Locator("#history tr[data-event='ImportChosen']");
        await Assertions.Expect(line).ToContainTextAsync(product.Word("Event.ImportChosen", culture));
        await Assertions.Expect(line.Locator("[data-change][data-after]")).ToHaveCountAsync(3);
        await Assertions.Expect(line.Locator("[data-change]", new() { HasText = product.Word("Account.Import", culture) }))
            .ToHaveAttributeAsync("data-after", product.Word("History.ImportOn", culture));
        await Assertions.Expect(line.Locator("[data-change]", new() { HasText = product.Word("Account.ImportFolders", culture) }))
            .ToHaveAttributeAsync("data-after", product.Word("Import.MonitoredFolders", culture));
        await Assertions.Expect(line.Locator("[data-change]", new() { HasText = product.Word("Account.ImportSince", culture) }))
            .ToHaveAttributeAsync("data-after", product.Word("History.ImportAllMail", culture));

        // The form shows the choice as saved.
        await page.GotoAsync($"/Email/Settings/Accounts/Edit/{account}");
        await Assertions.Expect(page.Locator("#Input_ImportOn")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#Input_ImportAll_true")).ToBeCheckedAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_running_import_moves_in_the_column_without_a_reload_and_ends_with_its_last_run(string culture)
    {
        var (user, account, _) = await AccountAsync(importing: true);
        using var _ = user;
        await StoreAsync(new ImportProgress(account, true, 5, 20, DateTimeOffset.UtcNow, null, null, 0));
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts");
        await InAsync(page, culture);
        await page.EvaluateAsync("() => { window.specMarker = 'still here'; }");

        var import = ImportOf(page, account);
        var bar = import.Locator("progress");
        await Assertions.Expect(import).ToHaveAttributeAsync("data-import-state", "running");
        await Assertions.Expect(import.Locator("[data-import-text]")).ToHaveTextAsync(string.Format(CultureInfo.InvariantCulture, product.Word("Import.Running", culture), 5, 20));
        await Assertions.Expect(bar).ToBeVisibleAsync();
        await Assertions.Expect(bar).ToHaveAttributeAsync("value", "5");

        // The page asks every 2 s; on a loaded machine an answer may take a while.
        await StoreAsync(new ImportProgress(account, true, 15, 20, DateTimeOffset.UtcNow, null, null, 10));
        await Assertions.Expect(import.Locator("[data-import-text]")).ToHaveTextAsync(
            string.Format(CultureInfo.InvariantCulture, product.Word("Import.Running", culture), 15, 20), new() { Timeout = 20_000 });
        (await bar.EvaluateAsync<double>("bar => bar.value")).ShouldBe(15);

        await StoreAsync(new ImportProgress(account, false, 20, 20, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow, null, 20));
        await Assertions.Expect(import).ToHaveAttributeAsync("data-import-state", "idle", new() { Timeout = 20_000 });
        await Assertions.Expect(import.Locator("[data-import-text]")).ToContainTextAsync(": 20");
        await Assertions.Expect(bar).ToBeHiddenAsync();
        (await page.EvaluateAsync<string>("() => window.specMarker")).ShouldBe("still here");
    }

    [Fact]
    public async Task polling_stops_when_nothing_runs_and_starts_again_when_check_mail_is_pressed()
    {
        // Import off, so that the check pressed below queues no import of its own to overwrite the state stored here
        // (an import in flight shows as running whatever the setting says).
        var (user, account, _) = await AccountAsync();
        using var _ = user;
        await StoreAsync(new ImportProgress(account, false, 4, 4, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(-1), null, 4));
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        var asked = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/Email/Imported/Progress", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref asked);
            }
        };
        await page.GotoAsync("/Email/Settings/Accounts");
        var import = ImportOf(page, account);
        await Assertions.Expect(import).ToHaveAttributeAsync("data-import-state", "off");

        // Nothing runs: the page does not ask.
        await page.WaitForTimeoutAsync(4500);
        Volatile.Read(ref asked).ShouldBe(0);

        // Check mail: the page asks again (the rows' own refresh after the check may also bring the new state).
        var progress = page.WaitForRequestAsync(r => r.Url.Contains("/Email/Imported/Progress", StringComparison.Ordinal), new() { Timeout = 10_000 });
        await page.Locator("[data-check-all]").ClickAsync();
        await StoreAsync(new ImportProgress(account, true, 1, 8, DateTimeOffset.UtcNow, null, null, 4));
        await progress;
        await Assertions.Expect(import).ToHaveAttributeAsync("data-import-state", "running", new() { Timeout = 20_000 });
        await Assertions.Expect(import.Locator("[data-import-text]")).ToHaveTextAsync(string.Format(CultureInfo.InvariantCulture, product.Word("Import.Running"), 1, 8));
    }

    private async Task StoreAsync(ImportProgress progress)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(progress);
        await session.SaveChangesAsync();
    }
}
