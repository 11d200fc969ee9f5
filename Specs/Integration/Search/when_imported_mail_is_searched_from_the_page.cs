using System.Net;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Search;

/// <summary>
/// The search box above Imported mail, as a signed-in user's browser asks it (GET links): the results with the words
/// found marked in the preview, the next page by its link, the query and the form kept, the account filter kept
/// beside the search, and every problem said at its field in English and Russian, never a server error.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_imported_mail_is_searched_from_the_page(ProductFixture product)
{
    private async Task<(TestUser User, Guid Account)> ReaderAsync()
    {
        var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Found " + Guid.NewGuid().ToString("N")[..6]);
        return (user, account);
    }

    private static IReadOnlyList<string> Subjects(Page page) => page.Dom.Texts("#imported-letters tr[data-letter] [data-subject]");

    [Fact]
    public async Task the_results_mark_the_words_found_and_page_on_by_their_link()
    {
        var (user, account) = await ReaderAsync();
        using var _ = user;
        await user.Session.SubmitAsync("/Email/Settings/General", new() { ["Input.CheckIntervalMinutes"] = "0", ["Input.Charset"] = "utf-8", ["Input.PageSize"] = "10" });
        foreach (var i in Enumerable.Range(1, 12))
        {
            await product.ImportLetterAsync(account, Importing.Message($"Счёт {i:00}", body: $"Оплатите счета по договору номер {i}.", date: DateTimeOffset.UtcNow.AddDays(-i)));
        }

        await product.ImportLetterAsync(account, ImportedLetters.Message("Other", "<p>Nothing.</p>"));

        var first = await user.Session.GetAsync("/Email/Imported?q=" + Uri.EscapeDataString("body:счет"));

        first.Status.ShouldBe(HttpStatusCode.OK);
        Subjects(first).ShouldBe(Enumerable.Range(1, 10).Select(i => $"Счёт {i:00}"));
        first.Dom.Texts("#imported-letters tr[data-letter] [data-headline] mark").Distinct().ShouldBe(["счета"]);
        first.Dom.One("#search-q").GetAttribute("value").ShouldBe("body:счет");
        var next = first.Dom.One(".pager a[rel=next]").GetAttribute("href")!;
        next.ShouldContain("after=");

        var second = await user.Session.GetAsync(next);
        Subjects(second).ShouldBe(["Счёт 11", "Счёт 12"]);
        second.Dom.Has(".pager a[rel=next]").ShouldBeFalse();
        second.Dom.One(".pager a[rel=first]").GetAttribute("href")!.ShouldNotContain("after=");
    }

    [Fact]
    public async Task the_account_filter_and_the_search_keep_each_other()
    {
        var (user, account) = await ReaderAsync();
        using var _ = user;
        var other = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Other " + Guid.NewGuid().ToString("N")[..6]);
        await product.ImportLetterAsync(account, ImportedLetters.Message("Invoice here"));
        await product.ImportLetterAsync(other, ImportedLetters.Message("Invoice there"));

        var narrowed = await user.Session.GetAsync($"/Email/Imported?account={other}&q=invoices");

        Subjects(narrowed).ShouldBe(["Invoice there"]);
        narrowed.Dom.One("form[data-search-box] input[type=hidden][name=account]").GetAttribute("value").ShouldBe(other.ToString());
        narrowed.Dom.One("form[data-imported-filter] input[type=hidden][name=q]").GetAttribute("value").ShouldBe("invoices");
    }

    [Theory]
    [InlineData("en", "subject:\"unclosed", "quote")]
    [InlineData("ru", "subject:\"unclosed", "кавыч")]
    [InlineData("en", "is:unread invoice", "live folders")]
    [InlineData("ru", "is:unread invoice", "папках на сервере")]
    public async Task a_query_it_cannot_answer_is_said_at_the_box_in_the_readers_language(string culture, string query, string said)
    {
        var (user, account) = await ReaderAsync();
        using var _ = user;
        await product.ImportLetterAsync(account, ImportedLetters.Message("Invoice"));
        await user.Session.SubmitAsync("/Email/Imported", new() { ["culture"] = culture, ["returnUrl"] = "/Email/Imported" }, postTo: "/Culture");

        var page = await user.Session.GetAsync("/Email/Imported?q=" + Uri.EscapeDataString(query));

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Dom.Text("[data-search-problem=q]").ShouldContain(said, Case.Insensitive);
        page.Dom.One("#search-q").GetAttribute("aria-invalid").ShouldBe("true");
        page.Dom.Has("[data-empty=search]").ShouldBeTrue();
        Subjects(page).ShouldBeEmpty();
    }

    [Fact]
    public async Task the_form_offers_no_read_or_flag_marks_for_imported_mail()
    {
        var (user, _) = await ReaderAsync();
        using var __ = user;

        var page = await user.Session.GetAsync("/Email/Imported?q=x");

        page.Dom.Has("#search-unread").ShouldBeFalse();
        page.Dom.Has("#search-flagged").ShouldBeFalse();
        page.Dom.Has("#search-attachment").ShouldBeTrue();
        page.Dom.Has("[data-empty=search]").ShouldBeTrue();
    }
}
