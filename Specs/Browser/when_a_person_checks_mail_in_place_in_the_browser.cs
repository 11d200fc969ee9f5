using System.Globalization;
using MailAccounts.Specs.Integration.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// Settings » Accounts while mail is checked: each account's row changes in place when its own check is done, the
/// notice shows how far the check is and then how it went, and a row's Check button checks that account alone.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_person_checks_mail_in_place_in_the_browser(ProductFixture product)
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

    /// <summary>
    /// A user with a working account holding one message ("A working") and one whose server never answers after the
    /// greeting ("B silent"): its check fails only at the timeout, so the page is seen while that check still runs.
    /// </summary>
    private async Task<(IPage Page, StallingProxy Silent, Guid Working, Guid SilentAccount)> AccountsPageAsync(TestUser user, string culture)
    {
        var mailbox = await product.NewMailboxAsync();
        var working = await product.AccountSendingAsAsync(user, mailbox, "A working");
        var message = new MimeMessage { Subject = "Waiting to be counted", Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Body = new TextPart("plain") { Text = "Hello" };
        await product.DeliverAsync(mailbox, [message]);

        var silent = new StallingProxy(product.MailServer.Endpoints.Imaps, product.SparePort()) { Stalling = true };
        var form = AccountForms.For(product, await product.NewMailboxAsync(), title: "B silent").With("Input.Port", silent.Port.ToString(CultureInfo.InvariantCulture));
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(System.Net.HttpStatusCode.Redirect);

        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts");
        await InAsync(page, culture);
        var silentAccount = Guid.Parse((await page.Locator("#accounts tr[data-title='B silent']").GetAttributeAsync("data-account"))!);
        // A reload or a navigation would lose this.
        await page.EvaluateAsync("() => { window.specMarker = 'still here'; }");
        return (page, silent, working, silentAccount);
    }

    private static ILocator Row(IPage page, Guid account) => page.Locator($"#accounts tr[data-account='{account}']");

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task check_on_one_row_changes_that_row_in_place_and_leaves_the_others_alone(string culture)
    {
        using var user = await product.NewUserAsync();
        var (page, silent, working, silentAccount) = await AccountsPageAsync(user, culture);
        await using var _ = silent;

        await Row(page, working).Locator("button[data-check-account]").ClickAsync();

        await Assertions.Expect(Row(page, working).Locator("td.status")).ToHaveAttributeAsync("data-check-state", "ok");
        await Assertions.Expect(Row(page, working).Locator("td.status")).ToHaveAttributeAsync("data-unread", "1");
        await Assertions.Expect(Row(page, silentAccount).Locator("td.status")).ToHaveAttributeAsync("data-check-state", "none");
        await Assertions.Expect(Row(page, silentAccount)).Not.ToHaveAttributeAsync("data-checking", "");

        // The silent account's button is unusable while its check runs; the row says it is being checked, then why it failed.
        var silentButton = Row(page, silentAccount).Locator("button[data-check-account]");
        await silentButton.ClickAsync();
        await Assertions.Expect(Row(page, silentAccount)).ToHaveAttributeAsync("data-checking", "");
        await Assertions.Expect(silentButton).ToBeDisabledAsync();
        await Assertions.Expect(Row(page, silentAccount).Locator("[data-checking-now]")).ToHaveTextAsync(product.Word("Accounts.Checking", culture));
        await Assertions.Expect(Row(page, silentAccount).Locator("td.status")).ToHaveAttributeAsync("data-check-state", "failed", new() { Timeout = 30_000 });
        await Assertions.Expect(silentButton).ToBeEnabledAsync();
        await Assertions.Expect(Row(page, working).Locator("td.status")).ToHaveAttributeAsync("data-unread", "1");

        // A row's check leaves the page's notice to the check of every account.
        await Assertions.Expect(page.Locator("[data-check]")).ToHaveCountAsync(0);
        Assert.Equal("still here", await page.EvaluateAsync<string?>("() => window.specMarker ?? null"));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task check_mail_shows_its_progress_updates_each_row_when_its_check_is_done_and_ends_with_the_final_notice(string culture)
    {
        using var user = await product.NewUserAsync();
        var (page, silent, working, silentAccount) = await AccountsPageAsync(user, culture);
        await using var _ = silent;

        await page.Locator("[data-check-all]").ClickAsync();

        // While the silent server is waited for, the working account's row has its result already and the notice counts it.
        await page.WaitForFunctionAsync(
            """
            ([working, silent]) => {
                const notice = document.querySelector("[data-check]");
                const row = id => document.querySelector(`#accounts tr[data-account="${id}"]`);
                return notice?.dataset.check === "pending"
                    && notice.querySelector("progress")?.value === 1
                    && notice.querySelector("[data-check-progress]")?.dataset.checkProgress === "1"
                    && row(working)?.querySelector("td.status")?.dataset.checkState === "ok"
                    && row(working)?.querySelector("td.status")?.dataset.unread === "1"
                    && row(silent)?.hasAttribute("data-checking");
            }
            """,
            new[] { working.ToString(), silentAccount.ToString() });
        await Assertions.Expect(page.Locator("[data-check-all]")).ToBeDisabledAsync();
        await Assertions.Expect(Row(page, silentAccount).Locator("button[data-check-account]")).ToBeDisabledAsync();

        // Then the silent account's row says why it failed, and the notice which account could not be checked.
        var notice = page.Locator("main .notice[role='status']");
        await Assertions.Expect(Row(page, silentAccount).Locator("td.status")).ToHaveAttributeAsync("data-check-state", "failed", new() { Timeout = 30_000 });
        await Assertions.Expect(notice).ToHaveCountAsync(1);
        await Assertions.Expect(notice).ToHaveAttributeAsync("data-check", "failed");
        await Assertions.Expect(notice).ToContainTextAsync("B silent");
        await Assertions.Expect(notice).Not.ToContainTextAsync("A working");
        await Assertions.Expect(notice.Locator("progress")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#accounts tr[data-checking]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-check-all]")).ToBeEnabledAsync();
        Assert.Equal("still here", await page.EvaluateAsync<string?>("() => window.specMarker ?? null"));
    }

    [Fact]
    public async Task when_every_account_was_checked_well_the_notice_says_mail_was_checked()
    {
        using var user = await product.NewUserAsync();
        await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Only box");
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts");

        await page.Locator("[data-check-all]").ClickAsync();

        var notice = page.Locator("main .notice[role='status']");
        await Assertions.Expect(notice).ToHaveAttributeAsync("data-check", "done");
        await Assertions.Expect(notice).ToHaveTextAsync(product.Word("Accounts.CheckDone"));
        await Assertions.Expect(page.Locator("#accounts td.status")).ToHaveAttributeAsync("data-check-state", "ok");
    }
}
