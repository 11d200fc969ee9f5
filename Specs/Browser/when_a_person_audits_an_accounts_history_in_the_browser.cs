using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

[Collection(BrowserCollection.Name)]
public sealed class when_a_person_audits_an_accounts_history_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task the_port_and_folder_changes_show_with_before_and_after_and_the_account_as_it_was_before_them()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        var title = "Audited " + Guid.NewGuid().ToString("N")[..6];
        await product.AccountSendingAsAsync(user, mailbox, title);
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);

        // Change the port (to the plain IMAP port with STARTTLS) and the monitored folders, then Done.
        await page.GotoAsync("/Email/Settings/Accounts");
        await page.Locator("#accounts tbody tr", new() { HasText = title }).GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        // Choose, Test and the rest answer for this account, with its saved password: nothing typed again.
        foreach (var action in await page.Locator("form[data-account-form] button[formaction]").EvaluateAllAsync<string[]>("buttons => buttons.map(b => b.formAction)"))
        {
            action.ShouldContain("/Email/Settings/Accounts/Edit/");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Choose" }).ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Junk" }).CheckAsync();

        await page.GetByLabel("Use SSL").UncheckAsync();
        await page.Locator("#Input_Port").FillAsync(product.MailServer.Endpoints.Imap.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Another port: the saved password goes only where it was saved for, so it is typed again.
        await page.Locator("#Input_Password").FillAsync(mailbox.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        await page.Locator("#accounts tbody tr", new() { HasText = title }).GetByRole(AriaRole.Link, new() { Name = "History" }).ClickAsync();
        var latest = page.Locator("#history tr.event").First;
        var imaps = product.MailServer.Endpoints.Imaps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var imap = product.MailServer.Endpoints.Imap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var port = page.Locator("#history li", new() { HasText = "Port" }).First;
        await Assertions.Expect(port.Locator("del")).ToHaveTextAsync(imaps);
        await Assertions.Expect(port.Locator("ins")).ToHaveTextAsync(imap);
        var folders = page.Locator("#history li", new() { HasText = "Monitored folders" }).First;
        await Assertions.Expect(folders.Locator("del")).ToHaveTextAsync("INBOX");
        await Assertions.Expect(folders.Locator("ins")).ToHaveTextAsync("INBOX, Junk");
        await Assertions.Expect(latest).ToBeVisibleAsync();

        // As of the event just before the change: the whole settings as they were then.
        var changed = page.Locator("#history tr.event", new() { Has = page.Locator("li", new() { HasText = "Port" }) }).First;
        var version = int.Parse((await changed.GetAttributeAsync("data-version"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator($"#history tr.event[data-version='{version - 1}'] a.as-of-link").ClickAsync();
        var asOf = page.Locator("#as-of");
        await Assertions.Expect(asOf.Locator("tr", new() { HasText = "Port" }).Locator("td")).ToHaveTextAsync(imaps);
        await Assertions.Expect(asOf.Locator("tr", new() { HasText = "Monitored folders" }).Locator("td")).ToHaveTextAsync("INBOX");
        await Assertions.Expect(asOf.Locator("tr", new() { HasText = "Title" }).Locator("td")).ToHaveTextAsync(title);
    }
}
