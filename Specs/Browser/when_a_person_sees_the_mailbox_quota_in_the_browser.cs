using System.Globalization;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Specs.Support;
using MailAccounts.WebHost;
using MailAccounts.WebHost.Rendering;
using MailKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

/// <summary>The mailbox quota under the folder list, as a person sees it: the right numbers, in the page's language, on a phone too.</summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_person_sees_the_mailbox_quota_in_the_browser(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_line_under_the_folder_list_says_how_much_of_the_quota_the_mailbox_uses(string culture)
    {
        using var user = await product.NewUserAsync();
        var (account, used) = await AccountWithKnownContentAsync(user);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync($"/Email?account={account}");
        await InLanguageAsync(page, culture);

        // The page comes first and its list (and quota) after it: the line is there once the script has put it in.
        var line = page.Locator("#mail-folders + [data-quota]");
        await Assertions.Expect(line).ToBeVisibleAsync();
        await Assertions.Expect(line).ToHaveAttributeAsync("data-quota-used", used.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(line.Locator("meter")).ToHaveAttributeAsync("value", used.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(line.Locator("meter")).ToHaveAttributeAsync("max", PrivateMailServer.UsualQuotaBytes.ToString(CultureInfo.InvariantCulture));
        var expected = string.Format(CultureInfo.GetCultureInfo(culture), product.Word("Quota.Storage", culture),
            SizeIn(culture, used), SizeIn(culture, PrivateMailServer.UsualQuotaBytes));
        await Assertions.Expect(line.Locator("[data-quota-text]")).ToHaveTextAsync(expected);
        // Sizes in the page's language: "52,7 КБ из 1 ГБ" is not "52.7 KB of 1 GB".
        Assert.Contains(culture == "ru" ? "КБ" : "KB", expected);
        Assert.Contains(culture == "ru" ? "1 ГБ" : "1 GB", expected);
        await Assertions.Expect(line.Locator("[data-quota-almost-full]")).ToHaveCountAsync(0);

        var folders = await page.Locator("#mail-folders").BoundingBoxAsync();
        var quota = await line.BoundingBoxAsync();
        Assert.True(quota!.Y >= folders!.Y + folders.Height - 0.5, $"The quota line starts at {quota.Y}, above the folder list's end at {folders.Y + folders.Height}.");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task on_a_phone_the_line_is_in_the_folder_menu_and_fits_the_screen(string culture)
    {
        using var user = await product.NewUserAsync();
        var (account, used) = await AccountWithKnownContentAsync(user);
        var phone = new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true };
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user, phone);
        await page.GotoAsync($"/Email?account={account}");
        await InLanguageAsync(page, culture);
        await Assertions.Expect(page.Locator("#messages [data-subject]").First).ToBeVisibleAsync();

        await page.Locator("[data-menu-toggle]").ClickAsync();

        var line = page.Locator("[data-quota]");
        await Assertions.Expect(line).ToBeVisibleAsync();
        await Assertions.Expect(line).ToHaveAttributeAsync("data-quota-used", used.ToString(CultureInfo.InvariantCulture));
        var box = await line.BoundingBoxAsync();
        Assert.True(box!.X >= 0 && box.X + box.Width <= 390.5, $"The quota line spans {box.X} to {box.X + box.Width} on a 390 px screen.");
        Assert.Equal(390, await page.EvaluateAsync<int>("document.documentElement.scrollWidth"));
    }

    /// <summary>An account over a new mailbox holding three messages of known size; the bytes its quota must show (the server's sizes, in KiB rounded up, as Dovecot counts).</summary>
    private async Task<(Guid Account, long Used)> AccountWithKnownContentAsync(TestUser user)
    {
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            foreach (var lines in new[] { 100, 200, 400 })
            {
                var message = new MimeMessage { Subject = $"{lines} lines", Date = DateTimeOffset.UtcNow };
                message.From.Add(MailboxAddress.Parse("boris@specs.test"));
                message.To.Add(MailboxAddress.Parse(mailbox.Address));
                message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat(new string('x', 75) + "\r\n", lines)) };
                await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
            }

            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var sizes = await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Size);
            var account = await product.AccountSendingAsAsync(user, mailbox, "Quota box");
            return (account, (sizes.Sum(s => (long)s.Size!.Value) + 1023) / 1024 * 1024);
        }
    }

    private string SizeIn(string culture, long bytes)
    {
        var text = product.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return text.Size(bytes);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    private static async Task InLanguageAsync(IPage page, string culture)
    {
        if (culture != "en")
        {
            await page.Locator("#culture-switch").SelectOptionAsync(culture);
            await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
        }
    }
}
