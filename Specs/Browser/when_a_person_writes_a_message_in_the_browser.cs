using MailKit;
using MailKit.Search;
using MailAccounts.Domain.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_person_writes_a_message_in_the_browser(ProductFixture product)
{
    private const string Signature = "Anna Smirnova, Alpha desk";

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_body_is_a_visible_area_and_what_is_typed_after_clicking_its_label_goes_above_the_signature(string culture)
    {
        var (page, recipient) = await ComposingWithSignatureAsync(culture);
        await page.GotoAsync("/Email/Compose");

        var editor = page.Locator(".body-editor .editor");
        await Assertions.Expect(editor).ToBeVisibleAsync();
        var area = (await editor.BoundingBoxAsync())!;
        area.Height.ShouldBeGreaterThanOrEqualTo(200);
        area.Width.ShouldBeGreaterThanOrEqualTo(400);
        var attachments = (await page.Locator("fieldset.attachments").BoundingBoxAsync())!;
        (area.Y + area.Height).ShouldBeLessThanOrEqualTo(attachments.Y);
        // The signature's image gets an empty alternative text: decoration, not a file name read aloud.
        await Assertions.Expect(editor.Locator(".signature img")).ToHaveAttributeAsync("alt", "");

        await page.Locator("#body-label").ClickAsync();
        await page.Keyboard.TypeAsync("Typed first. ");
        await page.Locator(".editor-toolbar [data-format=bold]").ClickAsync();
        await Assertions.Expect(page.Locator(".editor-toolbar [data-format=bold]")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Keyboard.TypeAsync("Bold words");
        // A stray click on the signature does not write in it.
        await editor.Locator(".signature").ClickAsync();
        await page.Keyboard.TypeAsync(" and more");
        await SendAsync(page, recipient, "Written above the signature " + culture);

        var message = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Written above the signature " + culture));
        var text = message.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal);
        text.ShouldStartWith("Typed first.");
        text.IndexOf("and more", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("-- \n", StringComparison.Ordinal));
        text.ShouldContain("-- \n" + Signature);
        message.HtmlBody!.ShouldMatch("<(b|strong)>Bold words");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task plain_text_mode_is_a_visible_textarea_whose_text_arrives_as_plain_text(string culture)
    {
        var (page, recipient) = await ComposingWithSignatureAsync(culture);
        await page.GotoAsync("/Email/Compose");
        await page.Locator("#Input_PlainText").CheckAsync();

        var body = page.Locator("textarea#Input_Body");
        await Assertions.Expect(body).ToBeVisibleAsync();
        (await body.BoundingBoxAsync())!.Height.ShouldBeGreaterThanOrEqualTo(200);
        await page.Locator("#body-label").ClickAsync();
        await page.Keyboard.TypeAsync("Plain words first");
        await SendAsync(page, recipient, "Plain text " + culture);

        var message = await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains("Plain text " + culture));
        message.HtmlBody.ShouldBeNull();
        var text = message.TextBody!.Replace("\r\n", "\n", StringComparison.Ordinal);
        text.ShouldStartWith("Plain words first");
        text.ShouldContain("-- \n" + Signature);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task back_after_send_offers_no_form_to_send_again_and_one_copy_arrives(string culture)
    {
        using var user = await product.NewUserAsync();
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Back desk");
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await SwitchToAsync(page, culture);
        await page.GotoAsync("/Email/Compose");
        await page.Locator("#body-label").ClickAsync();
        await page.Keyboard.TypeAsync("Sent once");
        var subject = "Back and send " + culture;
        await SendAsync(page, recipient, subject);
        await product.WaitForMessageAsync(recipient, SearchQuery.SubjectContains(subject));

        await page.GoBackAsync();

        // The page asked the server again, which found the message sent: no form, and it says where the message is.
        await Assertions.Expect(page.Locator("[data-sent-already]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-sent-already]")).ToContainTextAsync(product.Word("Sending.AlreadySent", culture));
        await Assertions.Expect(page.Locator("[data-sent-already] a[data-sent-folder]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("form.compose")).ToHaveCountAsync(0);
        (await product.EventsOfAsync(account)).Select(e => e.Data).OfType<MailSent>().Count().ShouldBe(1);
        using var inbox = await product.SignInAsync(recipient);
        await inbox.Inbox.OpenAsync(FolderAccess.ReadOnly);
        (await inbox.Inbox.SearchAsync(SearchQuery.SubjectContains(subject))).Count.ShouldBe(1);
    }

    private async Task<(IPage Page, Mailbox Recipient)> ComposingWithSignatureAsync(string culture)
    {
        var user = await product.NewUserAsync();
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        await product.AccountSendingAsAsync(user, sender, "Alpha desk");
        await user.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new() { ["Input.Name"] = "Work", ["Input.Html"] = $"<p>{Signature}</p><img src=\"logo.png\">" });
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.SetViewportSizeAsync(1366, 800);
        await page.GotoAsync("/Email/Settings/General");
        await page.Locator("#Input_DefaultSignatureId").SelectOptionAsync(new SelectOptionValue { Label = "Work" });
        await page.Locator("#general-settings button[type=submit].primary").ClickAsync();
        await Assertions.Expect(page.Locator("p.notice[role=status]")).ToBeVisibleAsync();
        await SwitchToAsync(page, culture);
        return (page, recipient);
    }

    private static async Task SwitchToAsync(IPage page, string culture)
    {
        if (culture == "en")
        {
            return;
        }

        await page.Locator("#culture-switch").SelectOptionAsync(culture);
        await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
    }

    private static async Task SendAsync(IPage page, Mailbox recipient, string subject)
    {
        await page.Locator("#Input_To").FillAsync(recipient.Address);
        await page.Locator("#Input_Subject").FillAsync(subject);
        await page.Locator("form.compose .actions button.primary").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Email/Compose", StringComparison.Ordinal));
    }
}
