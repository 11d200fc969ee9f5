using MailKit;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_person_reads_mail_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task ctrl_click_shows_two_accounts_together_and_a_message_opens_in_its_frame()
    {
        using var user = await product.NewUserAsync();
        foreach (var title in new[] { "Alpha box", "Beta box" })
        {
            var mailbox = await product.NewMailboxAsync();
            using (var client = await product.SignInAsync(mailbox))
            {
                var message = new MimeMessage { Subject = "Hello from " + title, Date = DateTimeOffset.UtcNow, Body = new TextPart("html") { Text = "<p>Body of " + title + "</p>" } };
                message.From.Add(MailboxAddress.Parse("boris@specs.test"));
                await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
            }

            await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: title));
        }

        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);

        await page.GetByRole(AriaRole.Link, new() { Name = "Alpha box", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("Hello from Alpha box");
        await Assertions.Expect(page.Locator("#messages")).Not.ToContainTextAsync("Hello from Beta box");

        await page.GetByRole(AriaRole.Link, new() { Name = "Beta box", Exact = true }).ClickAsync(new() { Modifiers = [KeyboardModifier.Control] });
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("Hello from Beta box");
        await Assertions.Expect(page.Locator("#messages")).ToContainTextAsync("Hello from Alpha box");
        await Assertions.Expect(page.Locator("#messages td.account").First).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Hello from Beta box" }).ClickAsync();
        await Assertions.Expect(page.FrameLocator("iframe.message-body").Locator("p")).ToHaveTextAsync("Body of Beta box");

        // The message page runs under a Content-Security-Policy that refuses inline script; the switcher must still work.
        await page.GetByLabel("Language").SelectOptionAsync("ru");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "← К списку писем" })).ToBeVisibleAsync();
        await Assertions.Expect(page.FrameLocator("iframe.message-body").Locator("p")).ToHaveTextAsync("Body of Beta box");
    }
}
