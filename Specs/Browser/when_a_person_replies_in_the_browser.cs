using MailKit;
using MailKit.Search;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_person_replies_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task the_reply_goes_out_with_the_signature_above_the_quote_and_arrives_in_the_thread()
    {
        using var user = await product.NewUserAsync();
        var alpha = await product.NewMailboxAsync();
        var beta = await product.NewMailboxAsync();
        var boris = await product.NewMailboxAsync();
        await product.AccountSendingAsAsync(user, alpha, "Alpha desk");
        await product.AccountSendingAsAsync(user, beta, "Beta desk");
        await user.Session.SubmitAsync("/Email/Settings/Signatures/Edit", new() { ["Input.Name"] = "Short", ["Input.Html"] = "<p>Best regards, Anna</p>" });

        var question = new MimeMessage { Subject = "Question from Boris", MessageId = "question-1@specs.test", Date = DateTimeOffset.UtcNow };
        question.From.Add(new MailboxAddress("Boris Petrov", boris.Address));
        question.To.Add(MailboxAddress.Parse(beta.Address));
        question.Body = new TextPart("html") { Text = "<p>Can we meet on Friday?</p>" };
        using (var client = await product.SignInAsync(beta))
        {
            await client.Inbox.AppendAsync(new AppendRequest(question, MessageFlags.None, question.Date));
        }

        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);

        // The signature becomes the default and goes above the quotation.
        await page.GotoAsync("/Email/Settings/General");
        await page.Locator("#Input_DefaultSignatureId").SelectOptionAsync(new SelectOptionValue { Label = "Short" });
        await page.Locator("#Input_SignatureBeforeQuote").CheckAsync();
        await page.Locator("#general-settings button[type=submit].primary").ClickAsync();

        await page.GotoAsync("/Email");
        await page.GetByRole(AriaRole.Link, new() { Name = "Alpha desk", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mail-list")).Not.ToContainTextAsync("Question from Boris");
        await page.GetByRole(AriaRole.Link, new() { Name = "Beta desk", Exact = true }).ClickAsync(new() { Modifiers = [KeyboardModifier.Control] });
        await Assertions.Expect(page.Locator("#messages td.account")).ToContainTextAsync(["Beta desk"]);

        await page.GetByRole(AriaRole.Link, new() { Name = "Question from Boris" }).ClickAsync();
        await Assertions.Expect(page.FrameLocator("iframe.message-body").Locator("p")).ToHaveTextAsync("Can we meet on Friday?");
        // Read in the client for a moment: now, and only now, the server marks it read.
        await Assertions.Expect(page.Locator("body[data-marked-read=true]")).ToBeAttachedAsync();
        using (var client = await product.SignInAsync(beta))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var flags = await client.Inbox.FetchAsync([new UniqueId(1)], MessageSummaryItems.Flags);
            flags.Single().Flags!.Value.HasFlag(MessageFlags.Seen).ShouldBeTrue();
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#Input_Subject")).ToHaveValueAsync("Re: Question from Boris");
        var editor = page.Locator(".editor");
        await Assertions.Expect(editor.Locator(".signature")).ToContainTextAsync("Best regards, Anna");
        await Assertions.Expect(editor.Locator("blockquote")).ToContainTextAsync("Can we meet on Friday?");
        await editor.Locator("p").First.ClickAsync();
        await page.Keyboard.TypeAsync("Friday suits me.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice[role=status]")).ToContainTextAsync("Your message is being sent");

        var reply = await product.WaitForMessageAsync(boris, SearchQuery.SubjectContains("Re: Question from Boris"));
        reply.From.Mailboxes.Single().Address.ShouldBe(beta.Address);
        reply.InReplyTo.ShouldBe("question-1@specs.test");
        var html = reply.HtmlBody!;
        var written = html.IndexOf("Friday suits me.", StringComparison.Ordinal);
        var signature = html.IndexOf("Best regards, Anna", StringComparison.Ordinal);
        var quotation = html.IndexOf("Can we meet on Friday?", StringComparison.Ordinal);
        written.ShouldBeGreaterThanOrEqualTo(0);
        written.ShouldBeLessThan(signature);
        signature.ShouldBeLessThan(quotation);
        reply.TextBody!.ShouldContain("> Can we meet on Friday?");
    }

    [Fact]
    public async Task ticking_send_as_plain_text_moves_what_was_written_to_the_plain_editor()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await product.AccountSendingAsAsync(user, mailbox, "Switching");
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);

        await page.GotoAsync("/Email/Compose");
        await page.Locator(".editor p").First.ClickAsync();
        await page.Keyboard.TypeAsync("Line one");
        await page.Locator("#Input_PlainText").CheckAsync();

        await Assertions.Expect(page.Locator("textarea#Input_Body")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("textarea#Input_Body")).ToHaveValueAsync("Line one");
        await page.Locator("#Input_PlainText").UncheckAsync();
        await Assertions.Expect(page.Locator(".editor")).ToContainTextAsync("Line one");
    }
}
