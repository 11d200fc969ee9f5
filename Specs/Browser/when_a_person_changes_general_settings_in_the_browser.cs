using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

[Collection(BrowserCollection.Name)]
public sealed class when_a_person_changes_general_settings_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task every_option_and_a_new_signature_survive_a_reload_and_are_in_the_history()
    {
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);

        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "General settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Regards");
        await page.GetByLabel("Text (HTML)").FillAsync("<p>Kind regards,<br>{{ user.name }}</p>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.Locator("pre.plain")).ToContainTextAsync("Kind regards,");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signatures")).ToContainTextAsync("Regards");

        await page.GetByLabel("Check mail").SelectOptionAsync("15");
        await page.GetByLabel("Send as plain text").CheckAsync();
        await page.GetByLabel("Encoding").SelectOptionAsync("koi8-r");
        await page.GetByLabel("Default signature").SelectOptionAsync(new SelectOptionValue { Label = "Regards" });
        await page.GetByLabel("Place signature before reply").CheckAsync();
        await page.GetByLabel("E-mails per page").SelectOptionAsync("100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The settings were saved.");

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("Check mail")).ToHaveValueAsync("15");
        await Assertions.Expect(page.GetByLabel("Send as plain text")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Encoding")).ToHaveValueAsync("koi8-r");
        await Assertions.Expect(page.GetByLabel("Default signature").Locator("option:checked")).ToHaveTextAsync("Regards");
        await Assertions.Expect(page.GetByLabel("Place signature before reply")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("E-mails per page")).ToHaveValueAsync("100");

        await page.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var history = page.Locator("#history");
        foreach (var what in new[]
                 {
                     "Signature created", "Mail check interval changed", "Plain-text default changed", "Encoding changed",
                     "Default signature chosen", "Signature placement changed", "E-mails per page changed",
                 })
        {
            await Assertions.Expect(history.Locator(".what", new() { HasTextString = what })).ToHaveCountAsync(1);
        }
    }
}
