using System.Globalization;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// The account pages say what happened and what to do: the form fills what follows from what was typed, a failed
/// save keeps the test's report, Check mail gives each account its own result, and a new group account is seen
/// where group accounts are looked after.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class when_a_person_gets_feedback_on_accounts_in_the_browser(ProductFixture product)
{
    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task InAsync(IPage page, string culture)
    {
        if (culture == "en")
        {
            return;
        }

        await page.Locator("#culture-switch").SelectOptionAsync(culture);
        await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
    }

    [Fact]
    public async Task the_login_and_the_smtp_port_follow_what_was_chosen_until_edited_and_gmail_parameters_are_for_gmail()
    {
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts/Add");

        var login = page.Locator("#Input_Login");
        var gmail = page.Locator("[data-gmail-only]");
        await page.Locator("#Input_Address").FillAsync("olga@example.com");
        await Assertions.Expect(login).ToHaveValueAsync("olga@example.com");
        await Assertions.Expect(gmail).ToBeHiddenAsync();
        await page.Locator("#Input_Address").FillAsync("olga@googlemail.com");
        await Assertions.Expect(login).ToHaveValueAsync("olga@googlemail.com");
        await Assertions.Expect(gmail).ToBeVisibleAsync();

        // A login of one's own stays.
        await login.FillAsync("olga");
        await page.Locator("#Input_Address").FillAsync("olga@example.org");
        await Assertions.Expect(login).ToHaveValueAsync("olga");

        // The new outgoing server's port follows its security until a port is typed.
        await page.Locator("[data-add-server]").ClickAsync();
        await page.Locator("[data-server-kind][value='Other']").CheckAsync();
        var smtpPort = page.Locator("#Input_NewServerPort");
        var security = page.Locator("#Input_NewServerSecurity");
        await security.SelectOptionAsync("StartTls");
        await Assertions.Expect(smtpPort).ToHaveValueAsync("587");
        await security.SelectOptionAsync("SslOnConnect");
        await Assertions.Expect(smtpPort).ToHaveValueAsync("465");
        await smtpPort.FillAsync("2525");
        await security.SelectOptionAsync("StartTls");
        await Assertions.Expect(smtpPort).ToHaveValueAsync("2525");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_failed_save_keeps_the_test_report_and_says_the_password_must_be_typed_again(string culture)
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts/Add");
        await InAsync(page, culture);

        await page.Locator("#Input_Address").FillAsync(mailbox.Address);
        await page.Locator("#Input_Password").FillAsync("not the password");
        await page.Locator("#Input_Host").FillAsync(product.MailServer.Endpoints.Host);
        await page.Locator("#Input_Port").FillAsync(Port(product.MailServer.Endpoints.Imaps));
        var test = page.Locator("button[formaction$='handler=Test']").First;
        await test.ClickAsync();
        var report = page.Locator("#incoming-report [data-report='failed']");
        await Assertions.Expect(report.Locator("[data-advice='Advice.CheckPassword']")).ToBeVisibleAsync();
        await Assertions.Expect(test).ToBeEnabledAsync();

        // Done without a title: refused, and the report is still there.
        await page.Locator("p.actions button.primary").ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Input.Title']")).Not.ToBeEmptyAsync();
        await Assertions.Expect(report.Locator("[data-advice='Advice.CheckPassword']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#Input_Password")).ToHaveValueAsync("");
        await Assertions.Expect(page.Locator("[data-password-retype]")).ToHaveTextAsync(product.Word("Account.PasswordRetype", culture));
        await Assertions.Expect(page.Locator("#Input_Address")).ToHaveValueAsync(mailbox.Address);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task check_mail_shows_one_notice_and_each_account_its_own_result(string culture)
    {
        using var user = await product.NewUserAsync();
        await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Working box");
        var broken = AccountForms.For(product, await product.NewMailboxAsync(), title: "Broken box").With("Input.Port", Port(product.ClosedPort));
        (await user.Session.SubmitAsync(AccountForms.AddPage, broken)).Status.ShouldBe(System.Net.HttpStatusCode.Redirect);
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts");
        await InAsync(page, culture);

        await page.Locator("form[action*='handler=CheckMail'] button").ClickAsync();
        await Assertions.Expect(page.Locator("main .notice[role='status']")).ToHaveCountAsync(1);

        // The check is durable: reloaded once it is done, the page says how it went.
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (await page.Locator("[data-check='pending']").CountAsync() > 0 && DateTime.UtcNow < deadline)
        {
            await page.ReloadAsync();
        }

        await Assertions.Expect(page.Locator("main .notice[role='status']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-check]")).ToHaveAttributeAsync("data-check", "failed");
        var failed = page.Locator("#accounts tr", new() { HasText = "Broken box" }).Locator("td.status");
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-check-state", "failed");
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-advice", "Advice.ConnectionRefused");
        await Assertions.Expect(failed.Locator("[data-server-words]")).ToBeVisibleAsync();
        var working = page.Locator("#accounts tr", new() { HasText = "Working box" }).Locator("td.status");
        await Assertions.Expect(working).ToHaveAttributeAsync("data-check-state", "ok");
    }

    [Fact]
    public async Task a_new_group_account_lands_on_admin_accounts_saying_it_was_created()
    {
        var shared = await product.NewMailboxAsync();
        var endpoints = product.MailServer.Endpoints;
        using var administrator = await product.NewUserAsync(role: "Administrator");
        var browser = await product.BrowserAsync();
        var admin = await browser.SignedInPageAsync(administrator);
        var title = "Desk " + Guid.NewGuid().ToString("N")[..6];

        await admin.GotoAsync("/Email/Settings/Accounts/Add?group=true");
        await admin.Locator("#Input_Title").FillAsync(title);
        await admin.Locator("#Input_Address").FillAsync(shared.Address);
        await admin.Locator("#Input_Password").FillAsync(shared.Password);
        await admin.Locator("#Input_Host").FillAsync(endpoints.Host);
        await admin.Locator("#Input_Port").FillAsync(Port(endpoints.Imaps));
        await admin.Locator("p.actions button.primary").ClickAsync();

        await admin.WaitForURLAsync(url => url.EndsWith("/Admin/Accounts", StringComparison.Ordinal));
        await Assertions.Expect(admin.Locator("main .notice[role='status']")).ToHaveTextAsync(product.Word("AdminAccounts.Created"));
        await Assertions.Expect(admin.Locator("#all-accounts tbody tr", new() { HasText = title })).ToHaveCountAsync(1);
    }
}
