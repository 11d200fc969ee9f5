using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

[Collection(ProductCollection.Name)]
public sealed class when_a_person_adds_an_account_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task it_signs_in_adds_the_account_and_finds_it_in_the_list_and_in_its_history()
    {
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByLabel("Login").FillAsync(user.Login);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Add" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Sales desk");
        await page.GetByLabel("Name").FillAsync("Anna Smirnova");
        await page.GetByLabel("Address").FillAsync("not an address");
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        // Refused next to the field, with what was typed still there.
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.Address']")).ToContainTextAsync("This is not an e-mail address");
        await Assertions.Expect(page.GetByLabel("Title")).ToHaveValueAsync("Sales desk");

        await page.GetByLabel("Address").FillAsync("sales@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        var row = page.Locator("#accounts tbody tr", new() { HasText = "Sales desk" });
        await Assertions.Expect(row).ToContainTextAsync("sales@example.com");

        await row.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var entry = page.Locator("#history tr.event").First;
        await Assertions.Expect(entry.Locator(".what")).ToHaveTextAsync("Account created");
        await Assertions.Expect(entry.Locator(".who")).ToHaveTextAsync("Test " + user.Login);
        await Assertions.Expect(entry).ToContainTextAsync("sales@example.com");
    }

    [Fact]
    public async Task the_language_switcher_turns_the_pages_russian_and_remembers_it()
    {
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/SignIn");
        await page.GetByLabel("Language").SelectOptionAsync("ru");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Вход" })).ToBeVisibleAsync();

        await page.GetByLabel("Логин").FillAsync(user.Login);
        await page.GetByLabel("Пароль").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Войти" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Настройки" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Учетные записи" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task a_russian_browser_gets_russian_pages_without_choosing()
    {
        var browser = await product.BrowserAsync();
        var page = await browser.NewPageAsync(locale: "ru-RU");

        await page.GotoAsync("/SignIn");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Вход" })).ToBeVisibleAsync();
    }
}
