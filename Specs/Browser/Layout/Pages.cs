using MailKit;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser.Layout;

/// <summary>What the layout specs share: a user with one account holding a message, and the switch of language.</summary>
internal static class Pages
{
    public static readonly BrowserNewContextOptions Phone = new() { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true };

    public static async Task<(Guid AccountId, Mailbox Mailbox)> AccountWithAMessageAsync(
        this ProductFixture product, TestUser user, string subject, DateTimeOffset date, string body = "<p>Hello.</p>")
    {
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            var message = new MimeMessage { Subject = subject, Date = date, Body = new TextPart("html") { Text = body } };
            message.From.Add(new MailboxAddress("Boris Averintsev-Kozlovsky", "boris.averintsev-kozlovsky@specs.test"));
            message.To.Add(MailboxAddress.Parse(mailbox.Address));
            await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, date));
        }

        var id = await product.AccountSendingAsAsync(user, mailbox, "Box " + Guid.NewGuid().ToString("N")[..6]);
        return (id, mailbox);
    }

    public static async Task InLanguageAsync(this IPage page, string culture)
    {
        if (await page.EvaluateAsync<string>("document.documentElement.lang") == culture)
        {
            return;
        }

        await page.Locator("#culture-switch").SelectOptionAsync(culture);
        await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
    }
}
