using MailKit.Search;
using MailAccounts.Specs.Browser.Layout;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser.Verification;

/// <summary>
/// Recipient verification as a person sees it: mail sent through the system to an unknown user of the test domain
/// bounces as a real Postfix DSN; Check mail is pressed; the contact's page shows the address invalid with the status
/// and the server's words; mail then comes from the address, Check mail again, and the page shows it valid. In English
/// and Russian.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class when_a_bounce_marks_a_contact_in_the_browser(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_contacts_page_shows_the_address_invalid_after_the_check_and_valid_once_mail_comes_from_it(string culture)
    {
        var sender = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Bounces " + culture);
        var nobody = $"nobody-{culture}-{Guid.NewGuid():N}"[..24] + "@" + ProductFixture.MailDomain;
        var contact = await product.ContactAsync("Nina Nobody", "", nobody);
        await product.SendThroughTheProductAsync(user, account, nobody, "Hello " + culture);
        await product.WaitForMessageAsync(sender, SearchQuery.SubjectContains("Undelivered Mail"));

        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync("/Email/Settings/Accounts");
        await page.InLanguageAsync(culture);
        await CheckAsync(page, account);
        await product.WaitForAddressAsync(nobody, s => s is { Invalid: true });

        await page.GotoAsync($"/Contacts/Contact?id={contact}");
        var address = page.Locator($"#addresses li[data-address='{nobody}']");
        await Assertions.Expect(address).ToHaveAttributeAsync("data-state", "invalid");
        await Assertions.Expect(address.Locator("[data-status]")).ToHaveTextAsync("5.1.1");
        await Assertions.Expect(address.Locator("[data-diagnostic]")).ToContainTextAsync("550");
        await Assertions.Expect(address.Locator("[data-invalid]")).ToContainTextAsync(product.Word("Verification.InvalidSince", culture).Split('{')[0].Trim());
        await Assertions.Expect(address.Locator("[data-mark-valid]")).ToBeVisibleAsync();

        var reply = new MimeMessage { Subject = "I do exist" };
        reply.From.Add(new MailboxAddress("Nina Nobody", nobody));
        reply.To.Add(MailboxAddress.Parse(sender.Address));
        reply.Body = new TextPart("plain") { Text = "My mailbox is back." };
        await product.DeliverAsync(sender, [reply]);
        await page.GotoAsync("/Email/Settings/Accounts");
        await CheckAsync(page, account);
        await product.WaitForAddressAsync(nobody, s => s is { Invalid: false });

        await page.GotoAsync($"/Contacts/Contact?id={contact}");
        await Assertions.Expect(address).ToHaveAttributeAsync("data-state", "valid");
        await Assertions.Expect(address.Locator("[data-valid]")).ToHaveTextAsync(product.Word("Contact.Valid", culture));
    }

    private static async Task CheckAsync(IPage page, Guid account)
    {
        await page.Locator($"button[data-check-account='{account}']").ClickAsync();
        await page.WaitForURLAsync("**/Email/Settings/Accounts**");
    }
}
