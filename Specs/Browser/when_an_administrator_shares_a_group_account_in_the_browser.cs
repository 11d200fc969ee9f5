using MailKit;
using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

[Collection(BrowserCollection.Name)]
public sealed class when_an_administrator_shares_a_group_account_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task the_user_reads_it_beside_their_own_account_until_access_is_revoked()
    {
        var endpoints = product.MailServer.Endpoints;
        var shared = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(shared))
        {
            var message = new MimeMessage { Subject = "Order from a customer", Date = DateTimeOffset.UtcNow, Body = new TextPart("html") { Text = "<p>Ten boxes, please.</p>" } };
            message.From.Add(MailboxAddress.Parse("customer@specs.test"));
            await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
        }

        using var user = await product.NewUserAsync();
        await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "My own box");
        var title = "Orders " + Guid.NewGuid().ToString("N")[..6];
        var browser = await product.BrowserAsync();
        using var administrator = new TestUser(AdministratorSeeding.Login, ProductFixture.AdministratorPassword, product.NewSession());
        var admin = await browser.SignedInPageAsync(administrator);

        // Accounts » Add group account: the same form as an individual account.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Accounts", Exact = true }).ClickAsync();
        await admin.GetByRole(AriaRole.Link, new() { Name = "Add group account" }).ClickAsync();
        await Assertions.Expect(admin.Locator("h1")).ToHaveTextAsync("Add group account");
        await admin.GetByLabel("Title").FillAsync(title);
        await admin.Locator("#Input_Address").FillAsync(shared.Address);
        await admin.Locator("#Input_Login").FillAsync(shared.Address);
        await admin.Locator("#Input_Password").FillAsync(shared.Password);
        await admin.GetByLabel("Incoming mail server").FillAsync(endpoints.Host);
        await admin.Locator("#Input_Port").FillAsync(endpoints.Imaps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();

        // Access: grant it to the user.
        await admin.GotoAsync("/Admin/Accounts");
        var row = admin.Locator("#all-accounts tbody tr", new() { HasText = title });
        await Assertions.Expect(row).ToContainTextAsync("Group account");
        await row.GetByRole(AriaRole.Link, new() { Name = "Access" }).ClickAsync();
        var userRow = admin.Locator($"#access tr[data-login='{user.Login}']");
        await userRow.GetByRole(AriaRole.Button, new() { Name = "Grant access" }).ClickAsync();
        await Assertions.Expect(admin.Locator($"#access tr[data-login='{user.Login}']")).ToContainTextAsync("Granted");

        // The user sees it next to their own account and reads its mail.
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email");
        var accounts = page.Locator(".mail-accounts");
        await Assertions.Expect(accounts.GetByRole(AriaRole.Link, new() { Name = "My own box", Exact = true })).ToBeVisibleAsync();
        await accounts.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Order from a customer" }).ClickAsync();
        await Assertions.Expect(page.FrameLocator("iframe.message-body").Locator("p")).ToHaveTextAsync("Ten boxes, please.");

        // Revoked: the user's next click answers 404.
        await userRow.GetByRole(AriaRole.Button, new() { Name = "Revoke access" }).ClickAsync();
        await Assertions.Expect(admin.Locator($"#access tr[data-login='{user.Login}']")).ToContainTextAsync("None");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Link, new() { Name = "Reply", Exact = true }).ClickAsync(), r => r.Url.Contains("/Email/Compose", StringComparison.Ordinal));
        response.Status.ShouldBe(404);
        await page.GotoAsync("/Email");
        await Assertions.Expect(page.Locator(".mail-accounts")).Not.ToContainTextAsync(title);
    }
}
