using Marten;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// Files heavier together than a message may be (Mail:MaxAttachmentBytes) are never posted: the host refuses such a
/// form before reading it, so what the person wrote would be lost with a bare error. The page says so at the field, in
/// the page's language, and keeps the message as it was; nothing is stored.
/// </summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_person_attaches_files_too_large_to_send(ProductFixture product)
{
    [Theory]
    [InlineData("en", "Send", "The attachments are too large together")]
    [InlineData("ru", "Отправить", "Вложения вместе слишком велики")]
    public async Task the_page_says_so_at_the_field_and_keeps_what_was_written(string language, string send, string said)
    {
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Large files " + language);
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = page.Url }]);
        await page.GotoAsync($"/Email/Compose?account={account}");

        var subject = "Too large " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#Input_To").FillAsync("someone@specs.test");
        await page.Locator("#Input_Subject").FillAsync(subject);
        var limit = long.Parse((await page.Locator("#files").GetAttributeAsync("data-max-bytes"))!, System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("#files").SetInputFilesAsync([
            new FilePayload { Name = "first.bin", MimeType = "application/octet-stream", Buffer = new byte[limit / 2 + 1] },
            new FilePayload { Name = "second.bin", MimeType = "application/octet-stream", Buffer = new byte[limit / 2 + 1] },
        ]);
        var message = page.Locator("#files-too-large");
        await Assertions.Expect(message).ToBeVisibleAsync();
        await Assertions.Expect(message).ToContainTextAsync(said);

        var address = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = send, Exact = true }).ClickAsync();
        await Assertions.Expect(message).ToBeVisibleAsync();
        page.Url.ShouldBe(address);
        (await page.Locator("#Input_Subject").InputValueAsync()).ShouldBe(subject);
        await using (var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            // Nothing went to be sent; the draft autosave may have kept what was written, and that is all.
            (await session.Query<OutgoingMail>().CountAsync(m => m.Subject == subject && m.Status != OutgoingMailStatus.Draft)).ShouldBe(0);
        }

        // A file within the limit takes the message away again (sending with files is specced elsewhere).
        await page.Locator("#files").SetInputFilesAsync([new FilePayload { Name = "small.txt", MimeType = "text/plain", Buffer = "small"u8.ToArray() }]);
        await Assertions.Expect(message).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }
}
