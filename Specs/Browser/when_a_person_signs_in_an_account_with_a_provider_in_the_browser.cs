using System.Globalization;
using MailKit.Search;
using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// The whole of a mailbox without a password, in the browser, against the private authorization server, Dovecot and
/// Postfix: an administrator registers the provider; a user adds the account with "Sign in with …" and the provider's
/// consent page, Test settings passes, the inbox lists, mail is sent and arrives; the provider's time passes the access
/// token's life and the next page renews it; the provider revokes the grant, the account needs reconnecting and its
/// mail waits; Reconnect signs it in again and the mail that waited goes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class when_a_person_signs_in_an_account_with_a_provider_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task an_account_added_by_signing_in_reads_sends_renews_its_token_and_is_reconnected_after_a_revoke()
    {
        var authorization = product.MailServer.AuthorizationServer;
        var endpoints = product.MailServer.Endpoints;
        var client = await OAuthGrants.RegisterClientAsync(authorization, new Uri(product.BaseAddress, MailAccounts.WebHost.Pages.Email.Settings.Accounts.SignedInModel.Path));
        var providerName = "Company mail " + Guid.NewGuid().ToString("N")[..6];
        var mailbox = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        await product.DeliverAsync(mailbox, [new MimeMessage
        {
            From = { MailboxAddress.Parse("customer@elsewhere.invalid") },
            Subject = "Waiting in the inbox",
            Body = new TextPart("plain") { Text = "Hello." },
        }]);
        var browser = await product.BrowserAsync();

        // Admin » Sign-in providers » Register a provider: the organisation's own client.
        using (var administrator = new TestUser(AdministratorSeeding.Login, ProductFixture.AdministratorPassword, product.NewSession()))
        {
            var admin = await browser.SignedInPageAsync(administrator);
            await admin.GotoAsync("/Admin/SignInProviders");
            await admin.GetByRole(AriaRole.Link, new() { Name = "Register a provider" }).ClickAsync();
            await admin.Locator("#Input_Kind").SelectOptionAsync("Generic");
            await admin.Locator("#Input_Name").FillAsync(providerName);
            await admin.Locator("#Input_ClientId").FillAsync(client.ClientId);
            await admin.Locator("#Input_ClientSecret").FillAsync(client.ClientSecret);
            await admin.Locator("#Input_AuthorizationEndpoint").FillAsync(authorization.AuthorizationEndpoint.AbsoluteUri);
            await admin.Locator("#Input_TokenEndpoint").FillAsync(authorization.TokenEndpoint.AbsoluteUri);
            await admin.Locator("#Input_Scopes").FillAsync(OAuthGrants.Scopes);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(admin.Locator("main")).ToContainTextAsync(providerName);
            await admin.Context.CloseAsync();
        }

        // Settings » Accounts » Add, and "Sign in with …" instead of a password.
        using var user = await product.NewUserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts/Add");
        await page.GetByLabel("Title").FillAsync("Signed in box");
        await page.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Anna Smirnova");
        await page.Locator("#Input_Address").FillAsync(mailbox.Address);
        await page.GetByLabel("Incoming mail server").FillAsync(endpoints.Host);
        await page.Locator("#Input_Port").FillAsync(endpoints.Imaps.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await page.GetByLabel("Other server").CheckAsync();
        await page.GetByLabel("Server name").FillAsync(endpoints.Host);
        await page.Locator("#Input_NewServerPort").FillAsync(endpoints.Smtp.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Encryption").SelectOptionAsync("StartTls");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with " + providerName }).ClickAsync();

        // The provider's own page: the address is filled in from the form; the owner types the mailbox's password there.
        await page.WaitForURLAsync(url => url.StartsWith(authorization.Issuer.AbsoluteUri, StringComparison.Ordinal));
        await Assertions.Expect(page.GetByLabel("Mailbox address")).ToHaveValueAsync(mailbox.Address);
        await page.GetByLabel("Password").FillAsync(mailbox.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        // Back in the form, as it was typed, signed in as the mailbox.
        await Assertions.Expect(page.Locator("[data-signed-in]")).ToContainTextAsync($"Signed in as {mailbox.Address} with {providerName}");
        await Assertions.Expect(page.GetByLabel("Title")).ToHaveValueAsync("Signed in box");
        await Assertions.Expect(page.Locator("#Input_Login")).ToHaveValueAsync(mailbox.Address);
        await Assertions.Expect(page.Locator("#Input_NewServerLogin")).ToHaveValueAsync(mailbox.Address);
        await Assertions.Expect(page.Locator("#Input_Password")).ToBeEmptyAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Test settings" }).ClickAsync();
        await Assertions.Expect(page.Locator("#incoming-report")).ToContainTextAsync("Connection established successfully");
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        var row = page.Locator("#accounts tbody tr", new() { HasText = "Signed in box" });
        await Assertions.Expect(row).ToContainTextAsync(mailbox.Address);
        var accountId = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).Single().Id;

        // The provider's time passes the access token's life: the next page renews it.
        var before = await product.StoredTokensAsync(accountId);
        product.AuthorizationClock.Advance(ProductFixture.AccessTokenLifetime + TimeSpan.FromSeconds(5));
        await page.GotoAsync($"/Email?account={accountId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Waiting in the inbox" })).ToBeVisibleAsync();
        var after = await product.StoredTokensAsync(accountId);
        after.AccessToken.ShouldNotBe(before.AccessToken, "a new access token was issued");
        after.RefreshToken.ShouldNotBe(before.RefreshToken, "the refresh token rotated");

        await SendAsync(page, accountId, recipient, "Sent without a password");
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Sent without a password"));

        // The old refresh token no longer works.
        using (var refused = await OAuthGrants.RefreshAsync(authorization, client, before.RefreshToken!))
        {
            (await OAuthGrants.ErrorOfAsync(refused)).ShouldBe("invalid_grant");
        }

        // The provider revokes the grant (the reuse of a rotated refresh token above, which it takes for theft, did so
        // already): the next send finds it out, the account needs reconnecting, and its mail waits.
        await authorization.RevokeGrantsAsync(mailbox.Address);
        await SendAsync(page, accountId, recipient, "Sent after reconnecting");
        for (var waited = 0; !(await product.AccountAsync(accountId)).NeedsReconnecting; waited++)
        {
            waited.ShouldBeLessThan(150, "the send found the revoked grant out");
            await Task.Delay(200);
        }

        await page.GotoAsync($"/Email?account={accountId}");
        var banner = page.Locator($"[data-needs-reconnecting='{accountId}']");
        await Assertions.Expect(banner).ToContainTextAsync($"Signed in box can no longer sign in with {providerName}");
        await page.GotoAsync("/Email/Outbox");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Sent after reconnecting");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Waiting: the account needs reconnecting.");

        // Reconnect, from Settings » Accounts: the provider's page again, as the same mailbox.
        await page.GotoAsync("/Email/Settings/Accounts");
        await page.Locator($"[data-needs-reconnecting='{accountId}']").GetByRole(AriaRole.Button, new() { Name = "Reconnect" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(authorization.Issuer.AbsoluteUri, StringComparison.Ordinal));
        await Assertions.Expect(page.GetByLabel("Mailbox address")).ToHaveValueAsync(mailbox.Address);
        await page.GetByLabel("Password").FillAsync(mailbox.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync($"The account signs in as {mailbox.Address} again.");
        await Assertions.Expect(page.Locator("[data-needs-reconnecting]")).ToHaveCountAsync(0);
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Sent after reconnecting"));

        // The history says who signed in, lost it and reconnected, never a token.
        await page.GotoAsync($"/Email/Settings/Accounts/History/{accountId}");
        var history = page.Locator("#history");
        foreach (var step in new[] { "Signed in with a provider", "Sign-in lost", "Reconnected" })
        {
            await Assertions.Expect(history.Locator(".what", new() { HasTextString = step })).ToHaveCountAsync(1);
        }

        await Assertions.Expect(history).ToContainTextAsync(providerName);
        await Assertions.Expect(history).Not.ToContainTextAsync(after.AccessToken);
    }

    private static async Task SendAsync(IPage page, Guid accountId, Mailbox recipient, string subject)
    {
        await page.GotoAsync($"/Email/Compose?account={accountId}");
        await page.Locator("#Input_To").FillAsync(recipient.Address);
        await page.Locator("#Input_Subject").FillAsync(subject);
        await page.Locator("form.compose .actions button.primary").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Email/Compose", StringComparison.Ordinal));
    }
}
