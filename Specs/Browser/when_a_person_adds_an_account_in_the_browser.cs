using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

[Collection(BrowserCollection.Name)]
public sealed class when_a_person_adds_an_account_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task it_walks_the_manual_from_add_to_done_and_every_step_is_in_the_history()
    {
        var mailbox = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        var endpoints = product.MailServer.Endpoints;
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);

        // Communication » E-mail » Settings » Accounts » Add
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Sales desk");
        await page.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Anna Smirnova");
        await page.Locator("#Input_Address").FillAsync(mailbox.Address);
        await page.Locator("#Input_Login").FillAsync(mailbox.Address);
        await page.Locator("#Input_Password").FillAsync(mailbox.Password);
        await page.GetByLabel("Incoming mail server").FillAsync(endpoints.Host);

        // The port follows the protocol and Use SSL until the user types one.
        var port = page.Locator("#Input_Port");
        await Assertions.Expect(port).ToHaveValueAsync("993");
        await page.GetByLabel("Mail server protocol").SelectOptionAsync("Pop3");
        await Assertions.Expect(port).ToHaveValueAsync("995");
        await page.GetByLabel("Use SSL").UncheckAsync();
        await Assertions.Expect(port).ToHaveValueAsync("110");
        await page.GetByLabel("Mail server protocol").SelectOptionAsync("Imap");
        await page.GetByLabel("Use SSL").CheckAsync();
        await Assertions.Expect(port).ToHaveValueAsync("993");
        await port.FillAsync(endpoints.Imaps.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The outgoing name follows the incoming one.
        await Assertions.Expect(page.Locator("#Input_OutgoingName")).ToHaveValueAsync("Anna Smirnova");

        // Choose: the server's folders, Trash and Sent suggested from their special-use flags.
        await page.GetByRole(AriaRole.Button, new() { Name = "Choose" }).ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Junk" }).CheckAsync();
        await Assertions.Expect(page.Locator("#trash-folder")).ToHaveValueAsync("Trash");
        await Assertions.Expect(page.Locator("#sent-folder")).ToHaveValueAsync("Sent");

        // Test settings, in place: nothing typed is lost.
        await page.GetByRole(AriaRole.Button, new() { Name = "Test settings" }).ClickAsync();
        await Assertions.Expect(page.Locator("#incoming-report")).ToContainTextAsync("Connection established successfully");
        await Assertions.Expect(page.Locator("#Input_Password")).ToHaveValueAsync(mailbox.Password);

        // Outgoing: Add a server of one's own, then Send test email.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await page.GetByLabel("Other server").CheckAsync();
        await page.GetByLabel("Server name").FillAsync(endpoints.Host);
        await page.Locator("#Input_NewServerPort").FillAsync(endpoints.Smtp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Encryption").SelectOptionAsync("StartTls");
        await page.Locator("#Input_NewServerLogin").FillAsync(mailbox.Address);
        await page.Locator("#Input_NewServerPassword").FillAsync(mailbox.Password);
        await page.GetByLabel("Send test email").FillAsync(recipient.Address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#outgoing-report")).ToContainTextAsync("Test email sent");

        // Done
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        var row = page.Locator("#accounts tbody tr", new() { HasText = "Sales desk" });
        await Assertions.Expect(row).ToContainTextAsync(mailbox.Address);

        await row.GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var history = page.Locator("#history");
        foreach (var step in new[]
                 {
                     "Account created", "Incoming server configured", "Login or password changed", "Monitored folders chosen",
                     "Trash folder chosen", "Sent folder chosen", "Outgoing mail configured", "Connection tested", "Test email sent",
                 })
        {
            await Assertions.Expect(history.Locator(".what", new() { HasTextString = step })).ToHaveCountAsync(1);
        }

        await Assertions.Expect(history).ToContainTextAsync("INBOX, Junk");
        await Assertions.Expect(history).ToContainTextAsync("password changed");
        await Assertions.Expect(history).Not.ToContainTextAsync(mailbox.Password);
        await Assertions.Expect(history.Locator(".who").First).ToHaveTextAsync("Test " + user.Login);
    }

    [Fact]
    public async Task the_address_suggests_its_providers_settings_and_gmail_has_a_button_of_its_own()
    {
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts/Add");

        await page.Locator("#Input_Address").FillAsync("ivan@yandex.ru");
        var suggestion = page.Locator("#preset-suggestion");
        await Assertions.Expect(suggestion).ToContainTextAsync("app password");
        await suggestion.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Incoming mail server")).ToHaveValueAsync("imap.yandex.ru");
        await Assertions.Expect(page.Locator("#Input_Port")).ToHaveValueAsync("993");
        await Assertions.Expect(page.Locator("#Input_Login")).ToHaveValueAsync("ivan@yandex.ru");

        // "Set Gmail parameters" is for Gmail addresses only.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Set Gmail parameters" })).ToBeHiddenAsync();
        await page.Locator("#Input_Address").FillAsync("ivan@gmail.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set Gmail parameters" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Incoming mail server")).ToHaveValueAsync("imap.gmail.com");
        await Assertions.Expect(page.GetByLabel("Gmail", new() { Exact = true })).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Server name")).ToBeHiddenAsync();
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
        await page.GetByRole(AriaRole.Link, new() { Name = "Настройки" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Настройки" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Учётные записи" })).ToBeVisibleAsync();
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
