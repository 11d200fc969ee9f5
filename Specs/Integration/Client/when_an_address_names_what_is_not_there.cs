using System.Net;
using System.Runtime.CompilerServices;
using MailAccounts.Specs.Support;
using MailKit;
using MimeKit;

namespace MailAccounts.Specs.Integration.Client;

/// <summary>
/// An address that names a message, attachment, draft or account that is not there (deleted in another mail program,
/// a number edited by hand) answers with the product's own page: in the layout, with the status that fits (404, or 400
/// when the address cannot name anything), saying what was not found and linking the way back. Never a 500 and never
/// the browser's bare page.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_an_address_names_what_is_not_there(ProductFixture product)
{
    private static readonly ConditionalWeakTable<ProductFixture, Task<(TestUser User, string Account)>> Accounts = new();

    private Task<(TestUser User, string Account)> AccountAsync() => Accounts.GetValue(product, async p =>
    {
        var user = await p.NewUserAsync();
        var mailbox = await p.NewMailboxAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(p, mailbox, title: "Missing"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var message = new MimeMessage { Subject = "Here", Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        var body = new BodyBuilder { TextBody = "Hello" };
        body.Attachments.Add("notes.txt", "Notes"u8.ToArray(), new ContentType("text", "plain"));
        message.Body = body.ToMessageBody();
        using (var client = await p.SignInAsync(mailbox))
        {
            await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
        }

        return (user, (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single());
    });

    [Theory]
    [InlineData("/Email/Message?account={account}&folder=INBOX&uid=abc", HttpStatusCode.BadRequest, "message", "/Email?account={account}&folder=INBOX")]
    [InlineData("/Email/Message?account={account}&folder=INBOX&uid=0", HttpStatusCode.BadRequest, "message", "/Email?account={account}&folder=INBOX")]
    [InlineData("/Email/Compose?account={account}&mode=forward&folder=INBOX&uid=abc", HttpStatusCode.BadRequest, "message", "/Email?account={account}&folder=INBOX")]
    [InlineData("/Email/Message?account={account}&folder=INBOX&uid=999", HttpStatusCode.NotFound, "message", "/Email?account={account}&folder=INBOX")]
    [InlineData("/Email/Compose?account={account}&mode=reply&folder=INBOX&uid=999", HttpStatusCode.NotFound, "message", "/Email?account={account}&folder=INBOX")]
    [InlineData("/Email/Compose?account={account}&mode=forward&folder=INBOX&uid=999", HttpStatusCode.NotFound, "message", "/Email?account={account}&folder=INBOX")]
    [InlineData("/Email/Message?handler=Attachment&account={account}&folder=INBOX&uid=1&index=7", HttpStatusCode.NotFound, "attachment",
        "/Email/Message?account={account}&folder=INBOX&uid=1")]
    [InlineData("/Email/Compose?draft={guid}", HttpStatusCode.NotFound, "draft", "/Email/Outbox")]
    [InlineData("/Email?accounts=garbage", HttpStatusCode.BadRequest, "accounts", "/Email")]
    [InlineData("/Email?accounts={account},{guid}", HttpStatusCode.NotFound, "account", "/Email")]
    [InlineData("/Email/Message?account={guid}&folder=INBOX&uid=1", HttpStatusCode.NotFound, "account", "/Email")]
    [InlineData("/Email/No/Such/Page", HttpStatusCode.NotFound, "page", "/Email")]
    public async Task the_product_says_what_was_not_found_and_links_the_way_back(string address, HttpStatusCode status, string what, string back)
    {
        var (user, account) = await AccountAsync();
        string Filled(string text) => text.Replace("{account}", account).Replace("{guid}", Guid.NewGuid().ToString());

        var page = await user.Session.GetAsync(Filled(address));

        page.Status.ShouldBe(status);
        page.Dom.One("[data-not-found]").GetAttribute("data-not-found").ShouldBe(what);
        page.Dom.One("[data-not-found]").GetAttribute("data-status").ShouldBe(((int)status).ToString());
        page.Dom.One("[data-way-back]").GetAttribute("href").ShouldBe(Filled(back));
        // In the layout: the product's header and language switch are there.
        page.Dom.All("#culture-switch").Count.ShouldBe(1);
        page.Dom.One("h1").TextContent.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task the_page_speaks_russian_to_a_russian_reader()
    {
        var (user, account) = await AccountAsync();
        await user.Session.SubmitAsync("/Email", new() { ["culture"] = "ru", ["returnUrl"] = "/Email" }, postTo: "/Culture");

        var page = await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=999");
        await user.Session.SubmitAsync("/Email", new() { ["culture"] = "en", ["returnUrl"] = "/Email" }, postTo: "/Culture");

        page.Status.ShouldBe(HttpStatusCode.NotFound);
        page.Dom.One("html").GetAttribute("lang").ShouldBe("ru");
        page.Dom.Text("[data-way-back]").ShouldBe(product.Word("NotFound.BackToFolder", "ru"));
    }
}
