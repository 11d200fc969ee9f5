using System.Net;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Contacts;

/// <summary>
/// The search box over a contact's correspondence: it looks in the imported letters from, to or copied to any of the
/// contact's addresses, exactly (a lookalike address is not the contact), by the full-text index (a Russian word finds
/// its other forms), with the words found marked; only letters of accounts the viewer may use; a page of the user's
/// page size with a link to the next; a query it cannot answer is said at the box. Without a search the page lists
/// the correspondence as before.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_contacts_correspondence_is_searched(ProductFixture product)
{
    private static IReadOnlyList<string> Subjects(Page page) => page.Dom.Texts("#correspondence [data-subject]");

    private static string Search(Guid contact, string query) => $"/Contacts/Contact?id={contact}&q={Uri.EscapeDataString(query)}";

    [Fact]
    public async Task only_the_contacts_letters_with_the_words_are_found_and_the_words_are_marked()
    {
        using var anna = await product.NewUserAsync();
        using var boris = await product.NewUserAsync();
        using var admin = await product.AdministratorAsync();
        var tag = Contacts.Unique("search");
        var (primary, secondary) = ($"client-{tag}@example.com", $"accounts-{tag}@example.org");
        var contact = await anna.Session.AddContactAsync("Client " + tag, "", primary, secondary);
        var mailbox = await product.NewMailboxAsync();
        var annas = await product.AccountSendingAsAsync(anna, mailbox, "Anna " + tag);
        var group = await product.GroupAccountAsync(admin, await product.NewMailboxAsync(), "Shared " + tag);
        var day = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

        await product.ImportLetterAsync(annas, Importing.Between("Поставка " + tag, $"Client <{primary}>", mailbox.Address, "Договор поставки подписан.", day));
        await product.ImportLetterAsync(annas, Importing.Between("Счета " + tag, mailbox.Address, "someone@example.net", "Пришлите договоры к счетам.", day.AddDays(1), cc: secondary));
        await product.ImportLetterAsync(annas, Importing.Between("Lunch " + tag, $"Client <{primary}>", mailbox.Address, "See you at noon.", day.AddDays(2)));
        await product.ImportLetterAsync(annas, Importing.Between("Lookalike " + tag, $"a{primary}", mailbox.Address, "Договор тоже.", day.AddDays(3)));
        await product.ImportLetterAsync(annas, Importing.Between("Someone else " + tag, "other@example.net", mailbox.Address, "Ещё один договор.", day.AddDays(4)));
        await product.ImportLetterAsync(group, Importing.Between("Shared " + tag, $"Client <{primary}>", "team@specs.test", "Договор группы.", day.AddDays(5)));

        var found = await anna.Session.GetAsync(Search(contact, "body:договор"));

        found.Status.ShouldBe(HttpStatusCode.OK);
        Subjects(found).ShouldBe(["Счета " + tag, "Поставка " + tag]);
        found.Dom.Texts("#correspondence [data-headline] mark").ShouldBe(["договоры", "Договор"]);
        found.Dom.Texts("#correspondence tr[data-correspondence]").Select(t => t.Contains(secondary) || t.Contains(primary)).ShouldAllBe(b => b);
        found.Dom.One("#search-q").GetAttribute("value").ShouldBe("body:договор");
        found.Dom.One("form[data-search-box] input[type=hidden][name=id]").GetAttribute("value").ShouldBe(contact.ToString());
        found.Dom.Has("[data-search-note]").ShouldBeTrue();

        // The group account's letter is for those it is granted to: nobody yet, then Boris.
        Subjects(await boris.Session.GetAsync(Search(contact, "body:договор"))).ShouldBeEmpty();
        await product.GrantAsync(admin, group, boris.Login);
        Subjects(await boris.Session.GetAsync(Search(contact, "body:договор"))).ShouldBe(["Shared " + tag]);

        // Without a search, the whole correspondence, the letter without the word too.
        Subjects(await anna.Session.GetAsync($"/Contacts/Contact?id={contact}")).ShouldBe(["Lunch " + tag, "Счета " + tag, "Поставка " + tag]);
    }

    [Fact]
    public async Task the_results_page_by_the_users_page_size()
    {
        using var anna = await product.NewUserAsync();
        await anna.Session.SubmitAsync("/Email/Settings/General", new() { ["Input.CheckIntervalMinutes"] = "0", ["Input.Charset"] = "utf-8", ["Input.PageSize"] = "10" });
        var tag = Contacts.Unique("pages");
        var address = $"client-{tag}@example.com";
        var contact = await anna.Session.AddContactAsync("Client " + tag, "", address);
        var mailbox = await product.NewMailboxAsync();
        var account = await product.AccountSendingAsAsync(anna, mailbox, "Anna " + tag);
        foreach (var i in Enumerable.Range(1, 12))
        {
            await product.ImportLetterAsync(account, Importing.Between($"Invoice {i:00}", address, mailbox.Address, "Please pay.", DateTimeOffset.UtcNow.AddDays(-i)));
        }

        var first = await anna.Session.GetAsync(Search(contact, "subject:invoices"));

        Subjects(first).ShouldBe(Enumerable.Range(1, 10).Select(i => $"Invoice {i:00}"));
        var next = first.Dom.One(".pager a[rel=next]").GetAttribute("href")!;
        var second = await anna.Session.GetAsync(next);
        Subjects(second).ShouldBe(["Invoice 11", "Invoice 12"]);
        second.Dom.Has(".pager a[rel=next]").ShouldBeFalse();
        (await anna.Session.GetAsync(second.Dom.One(".pager a[rel=first]").GetAttribute("href")!)).Dom.Texts("#correspondence [data-subject]")[0].ShouldBe("Invoice 01");
    }

    [Theory]
    [InlineData("en", "subject:\"unclosed", "quote")]
    [InlineData("ru", "subject:\"unclosed", "кавыч")]
    [InlineData("en", "is:unread invoice", "live folders")]
    [InlineData("ru", "is:unread invoice", "папках на сервере")]
    public async Task a_query_it_cannot_answer_is_said_at_the_box_in_the_readers_language(string culture, string query, string said)
    {
        using var anna = await product.NewUserAsync();
        var contact = await anna.Session.AddContactAsync("Client", "", $"client-{Contacts.Unique("q")}@example.com");
        await anna.Session.SubmitAsync("/Contacts", new() { ["culture"] = culture, ["returnUrl"] = "/Contacts" }, postTo: "/Culture");

        var page = await anna.Session.GetAsync(Search(contact, query));

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Dom.One("[data-search-problem=q]").TextContent.ShouldContain(said, Case.Insensitive);
        page.Dom.Has("#correspondence").ShouldBeFalse();
        page.Dom.Has("[data-empty=correspondence]").ShouldBeTrue();
    }
}
