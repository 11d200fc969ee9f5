using MailKit.Search;
using MailAccounts.Specs.Integration.Compose;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// Issue 17 in Compose: a person types a contact's name, picks the suggested address, sees it marked invalid, is
/// warned on Send with the reason, and sends anyway; the message arrives.
/// </summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_person_sends_to_a_contact_marked_invalid_in_the_browser(ProductFixture product)
{
    private const string Diagnostic = "550 5.1.1 Recipient address rejected: User unknown in virtual mailbox table";

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_suggestion_the_field_and_send_say_the_address_is_invalid_and_send_anyway_sends(string culture)
    {
        var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await product.AccountSendingAsAsync(user, mailbox, "Contacts " + culture);
        var marta = await product.NewMailboxAsync();
        var token = ContactSeeds.Token();
        var name = $"Marta {token}";
        await product.ContactAsync(name, "Acme", marta.Address);
        await product.MarkInvalidAsync(marta.Address, diagnostic: Diagnostic);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        if (culture != "en")
        {
            await page.Locator("#culture-switch").SelectOptionAsync(culture);
            await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
        }

        var invalid = product.Word("Verification.Invalid", culture);
        await page.GotoAsync("/Email/Compose");
        var to = page.Locator("#Input_To");
        await to.PressSequentiallyAsync($"marta {token[..5]}");

        var option = page.GetByRole(AriaRole.Option).Filter(new() { HasText = marta.Address });
        await Assertions.Expect(option).ToBeVisibleAsync();
        await Assertions.Expect(option.Locator(".address-invalid")).ToContainTextAsync(invalid);
        // The list of what was typed so far may still show, with the other run's Marta first: wait for the answer to all of it.
        var listbox = page.Locator("#" + await to.GetAttributeAsync("aria-controls"));
        await Assertions.Expect(listbox.GetByRole(AriaRole.Option)).ToHaveCountAsync(1);
        await to.PressAsync("ArrowDown");
        await to.PressAsync("Enter");
        await Assertions.Expect(to).ToHaveValueAsync($"\"{name}\" <{marta.Address}>, ");

        // Leaving the field marks the address under it, before any Send.
        await page.Locator("#Input_Subject").FocusAsync();
        await Assertions.Expect(page.Locator("#to-marks")).ToContainTextAsync(marta.Address);
        await Assertions.Expect(page.Locator("#to-marks .address-invalid")).ToContainTextAsync(invalid);

        var subject = "Sent anyway " + token;
        await page.Locator("#Input_Subject").FillAsync(subject);
        await page.GetByRole(AriaRole.Button, new() { Name = product.Word("Compose.Send", culture), Exact = true }).ClickAsync();

        var warning = page.Locator("[data-invalid-recipients]");
        await Assertions.Expect(warning).ToBeVisibleAsync();
        await Assertions.Expect(warning).ToContainTextAsync(product.Word("Compose.InvalidRecipients", culture));
        await Assertions.Expect(warning).ToContainTextAsync(marta.Address);
        await Assertions.Expect(warning).ToContainTextAsync("5.1.1 " + Diagnostic);
        await Assertions.Expect(page.Locator("#Input_To")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape($"\"{name}\" <{marta.Address}>,")));
        await Assertions.Expect(page.Locator("#Input_Subject")).ToHaveValueAsync(subject);

        // Enter in a field sends nothing: the warning's Send anyway is not the form's default button. The implicit
        // submission would fire the form's submit event during the key press; the listener records and stops it.
        await page.EvaluateAsync(@"() => {
            window.__implicit = null;
            window.__watch = e => { window.__implicit = e.submitter?.name || 'the form'; e.preventDefault(); };
            document.querySelector('form.compose').addEventListener('submit', window.__watch);
        }");
        await page.Locator("#Input_Subject").PressAsync("Enter");
        (await page.EvaluateAsync<string?>(@"() => {
            document.querySelector('form.compose').removeEventListener('submit', window.__watch);
            return window.__implicit;
        }")).ShouldBeNull();

        await warning.GetByRole(AriaRole.Button, new() { Name = product.Word("Compose.SendAnyway", culture), Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Email/Compose", StringComparison.Ordinal));
        var arrived = await product.WaitForMessageAsync(marta, SearchQuery.SubjectContains(subject));
        arrived.To.Mailboxes.Single().Address.ShouldBe(marta.Address);
    }
}
