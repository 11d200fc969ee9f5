using Deque.AxeCore.Playwright;
using MailAccounts.Specs.Browser.Layout;
using MailAccounts.Specs.Integration.Contacts;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Contacts;

/// <summary>
/// The search box over a contact's correspondence, as a person uses it: a word typed in another form than the letter
/// has it finds the letter with the word marked, the letter opens, and Back returns to the same results; in English on
/// a desktop and in Russian at a phone's width, with no serious accessibility violation.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_person_searches_a_contacts_correspondence_in_the_browser(ProductFixture product)
{
    private static ILocator Subjects(IPage page) => page.Locator("#correspondence [data-subject]");

    [Theory]
    [InlineData("en", false)]
    [InlineData("ru", true)]
    public async Task a_word_in_another_form_finds_the_letter_and_back_returns_to_the_results(string culture, bool phone)
    {
        using var user = await product.NewUserAsync();
        var tag = Integration.Contacts.Contacts.Unique(culture);
        var address = $"client-{tag}@example.com";
        var contact = await user.Session.AddContactAsync("Client " + tag, "", address);
        var mailbox = await product.NewMailboxAsync();
        var account = await product.AccountSendingAsAsync(user, mailbox, "Anna " + tag);
        await product.ImportLetterAsync(account, Importing.Between("Поставка " + tag, $"Client <{address}>", mailbox.Address, "Договоры поставки подписаны.", DateTimeOffset.UtcNow.AddDays(-2)));
        await product.ImportLetterAsync(account, Importing.Between("Lunch " + tag, $"Client <{address}>", mailbox.Address, "See you at noon.", DateTimeOffset.UtcNow.AddDays(-1)));

        var page = await (await product.BrowserAsync()).SignedInPageAsync(user, phone ? Pages.Phone : new BrowserNewContextOptions());
        await page.GotoAsync($"/Contacts/Contact?id={contact}");
        await page.InLanguageAsync(culture);
        await Assertions.Expect(Subjects(page)).ToHaveTextAsync(["Lunch " + tag, "Поставка " + tag]);

        var box = page.GetByLabel(product.Word("Search.Box", culture));
        await box.FillAsync("body:договор");
        await box.PressAsync("Enter");
        await Assertions.Expect(Subjects(page)).ToHaveTextAsync(["Поставка " + tag]);
        await Assertions.Expect(page.Locator("#correspondence [data-headline] mark")).ToHaveTextAsync(["Договоры"]);
        await Assertions.Expect(page.Locator("[data-search-note]")).ToHaveTextAsync(product.Word("Contact.SearchNote", culture));
        var results = page.Url;
        results.ShouldContain($"id={contact}");

        var axe = await page.RunAxe();
        axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")
            .ShouldBeEmpty();
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(phone ? 390 : 1366);

        await Subjects(page).First.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Email/Imported/Letter", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("h1, h2").Filter(new() { HasText = "Поставка " + tag }).First).ToBeVisibleAsync();

        await page.GoBackAsync();
        page.Url.ShouldBe(results);
        await Assertions.Expect(Subjects(page)).ToHaveTextAsync(["Поставка " + tag]);
        await Assertions.Expect(box).ToHaveValueAsync("body:договор");
    }
}
