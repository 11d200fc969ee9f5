using System.Text;
using MailAccounts.Specs.Browser.Layout;
using MailAccounts.Specs.Integration.Contacts;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Contacts;

/// <summary>
/// Contacts as a person keeps them, in English and Russian: one added and edited on its form, a CSV imported with a
/// bad row shown by its line and reason, and an address that a bounce marked invalid (its status and the server's
/// words shown, in the list too) cleared by Mark valid.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_person_keeps_contacts_in_the_browser(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_contact_is_added_edited_imported_and_its_address_marked_valid(string culture)
    {
        using var user = await product.NewUserAsync();
        var tag = Integration.Contacts.Contacts.Unique(culture);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync("/Contacts");
        await page.InLanguageAsync(culture);
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(product.Word("Contacts.Title", culture));

        // Added on its form.
        await page.Locator("[data-add-contact]").ClickAsync();
        await page.GetByLabel(product.Word("Contact.Name", culture), new() { Exact = true }).FillAsync("Boris " + tag);
        await page.GetByLabel(product.Word("Contact.Organisation", culture), new() { Exact = true }).FillAsync("Petrov & Co");
        await page.Locator("#Input_Addresses_0_").FillAsync($"boris-{tag}@specs.test");
        await page.Locator("#Input_Addresses_1_").FillAsync($"office-{tag}@specs.test");
        await page.Locator("form.contact-form button[type=submit]:not([formnovalidate])").ClickAsync();
        await Assertions.Expect(page.Locator("[data-contact-title]")).ToHaveTextAsync("Boris " + tag);
        await Assertions.Expect(page.Locator("main .notice")).ToHaveTextAsync(product.Word("Contacts.Added", culture));

        // Edited: another organisation, the second address made primary.
        await page.Locator("[data-edit-contact]").ClickAsync();
        await page.GetByLabel(product.Word("Contact.Organisation", culture), new() { Exact = true }).FillAsync("Petrov Ltd");
        await page.Locator("[data-address-row='1'] input[type=radio]").CheckAsync();
        await page.Locator("form.contact-form button[type=submit]:not([formnovalidate])").ClickAsync();
        await Assertions.Expect(page.Locator("[data-organisation]")).ToHaveTextAsync("Petrov Ltd");
        await Assertions.Expect(page.Locator($"#addresses li[data-address='office-{tag}@specs.test'] [data-primary]")).ToBeVisibleAsync();
        var contactUrl = page.Url;

        // Imported from a file with a bad row.
        await page.GotoAsync("/Contacts/Import");
        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "contacts.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes($"Имя;Адрес\nАнна {tag};anna-{tag}@specs.test\nBad {tag};not-an-address\n"),
        });
        await page.Locator("button[data-preview]").ClickAsync();
        await Assertions.Expect(page.Locator("#import-rows tr[data-row=bad]")).ToHaveAttributeAsync("data-line", "3");
        await Assertions.Expect(page.Locator("#import-rows tr[data-row=bad] [data-problems]")).ToContainTextAsync(product.Word("Contact.AddressInvalid", culture));
        await page.Locator("button[data-import]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/Contacts", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main .notice")).ToHaveTextAsync(string.Format(product.Word("ContactImport.Imported", culture), 1));
        await page.Locator("#contacts-q").FillAsync(tag);
        await page.Locator(".contacts-search button").ClickAsync();
        await Assertions.Expect(page.Locator("#contacts [data-contact-name]")).ToHaveTextAsync(["Boris " + tag, $"Анна {tag}"], new() { IgnoreCase = true });

        // A bounce marked the address invalid: the mark shows in the list and, with its evidence, on the contact's page.
        await product.MarkInvalidAsync($"boris-{tag}@specs.test", Guid.NewGuid(), "5.1.1", "User unknown in virtual mailbox table", DateTimeOffset.UtcNow.AddHours(-2));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator($"#contacts li[data-address='boris-{tag}@specs.test'] .address-invalid")).ToBeVisibleAsync();
        await page.GotoAsync(contactUrl);
        var address = page.Locator($"#addresses li[data-address='boris-{tag}@specs.test']");
        await Assertions.Expect(address.Locator("[data-status]")).ToHaveTextAsync("5.1.1");
        await Assertions.Expect(address.Locator("[data-diagnostic]")).ToHaveTextAsync("User unknown in virtual mailbox table");
        await address.Locator("button[data-mark-valid]").ClickAsync();
        await Assertions.Expect(page.Locator("main .notice")).ToHaveTextAsync(string.Format(product.Word("Contacts.MarkedValid", culture), $"boris-{tag}@specs.test"));
        await Assertions.Expect(address.Locator("[data-invalid]")).ToHaveCountAsync(0);
        await Assertions.Expect(address.Locator("[data-valid]")).ToHaveTextAsync(product.Word("Contact.Valid", culture));
    }
}
