using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Layout;

[Collection(BrowserCollection.Name)]
public sealed class when_a_person_uses_the_mail_client_on_a_phone(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_390_px_layout_scrolls_no_page_sideways(string culture)
    {
        using var user = await product.NewUserAsync();
        var subject = "A rather long subject line that a phone must wrap or cut instead of widening the page " + Guid.NewGuid().ToString("N");
        var (accountId, _) = await product.AccountWithAMessageAsync(user, subject, DateTimeOffset.UtcNow.AddDays(-3));
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user, Pages.Phone);
        await page.InLanguageAsync(culture);

        await page.GotoAsync($"/Email?account={accountId}");
        await Assertions.Expect(page.Locator("#messages [data-subject]")).ToBeVisibleAsync();
        await NoSidewaysScrollingAsync(page, "the list");

        await page.Locator("#messages [data-subject]").ClickAsync();
        await Assertions.Expect(page.Locator("iframe.message-body")).ToBeVisibleAsync();
        await NoSidewaysScrollingAsync(page, "a message");

        await page.GotoAsync($"/Email/Compose?account={accountId}");
        await Assertions.Expect(page.Locator("form.compose")).ToBeVisibleAsync();
        await NoSidewaysScrollingAsync(page, "compose");

        await page.GotoAsync("/Email/Settings/Accounts");
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await NoSidewaysScrollingAsync(page, "Settings » Accounts");

        var letter = await product.ImportLetterAsync(accountId, ImportedLetters.Message(subject, "<p>Imported</p>", ("a-file-with-a-rather-long-name-for-a-phone.txt", "a"u8.ToArray())));
        await product.QuarantineMessageAsync(accountId, "FormatException: " + subject);
        await page.GotoAsync("/Email/Imported");
        await Assertions.Expect(page.Locator("#imported-letters [data-subject]")).ToBeVisibleAsync();
        await NoSidewaysScrollingAsync(page, "Imported mail");

        await page.GotoAsync($"/Email/Imported/Letter?id={letter}");
        await Assertions.Expect(page.Locator("iframe.message-body")).ToBeVisibleAsync();
        await NoSidewaysScrollingAsync(page, "an imported letter");

        await page.GotoAsync("/Email/Imported/Failed");
        await Assertions.Expect(page.Locator("#imported-failed [data-reason]")).ToBeVisibleAsync();
        await NoSidewaysScrollingAsync(page, "Could not import");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_menu_button_opens_the_accounts_and_folders(string culture)
    {
        using var user = await product.NewUserAsync();
        var (accountId, _) = await product.AccountWithAMessageAsync(user, "Menu " + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user, Pages.Phone);
        await page.InLanguageAsync(culture);
        await page.GotoAsync($"/Email?account={accountId}");

        var account = page.Locator($"a[data-account='{accountId}']");
        var inbox = page.Locator("li[data-folder='INBOX'] a");
        await Assertions.Expect(page.Locator("#messages [data-subject]")).ToBeVisibleAsync();
        await Assertions.Expect(account).ToBeHiddenAsync();

        var menu = page.Locator("[data-menu-toggle]");
        await Assertions.Expect(menu).ToHaveTextAsync(product.Word("Client.FoldersMenu", culture));
        await menu.ClickAsync();
        await Assertions.Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(account).ToBeVisibleAsync();
        await Assertions.Expect(inbox).ToBeVisibleAsync();

        // The keyboard closes it again: the menu is a real button.
        await menu.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(account).ToBeHiddenAsync();

        // On a wide screen there is no menu: the panes stand side by side.
        await page.SetViewportSizeAsync(1366, 800);
        await Assertions.Expect(menu).ToBeHiddenAsync();
        await Assertions.Expect(account).ToBeVisibleAsync();
    }

    private static async Task NoSidewaysScrollingAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        widths[0].ShouldBeLessThanOrEqualTo(widths[1], $"{what} at 390 px is {widths[0]} px wide");
    }
}
