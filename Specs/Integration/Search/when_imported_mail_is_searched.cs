using System.Text;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.Search;

/// <summary>
/// Search over imported mail on the private PostgreSQL: letters put in by the product's own intake (so the search row is
/// what an import writes), searched through <see cref="ImportedSearch"/> with criteria from the query words, as the
/// box makes them. Each criterion finds what it should and nothing else; Russian words match their forms whether the
/// letter came in UTF-8, windows-1251 or KOI8-R; addresses match in part; only the viewer's accounts are searched.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_imported_mail_is_searched(ProductFixture product)
{
    private async Task<(TestUser User, Actor Viewer, Guid Account)> ReaderAsync()
    {
        var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Search " + Guid.NewGuid().ToString("N")[..6]);
        return (user, new Actor(await product.UserIdAsync(user.Login), false), account);
    }

    private async Task<ImportedResults> SearchAsync(Actor viewer, string query, string? after = null, int pageSize = 50)
    {
        var parsed = QueryWords.Parse(query);
        parsed.Problems.ShouldBeEmpty(query);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await ImportedSearch.SearchAsync(session, viewer, parsed.Criteria!, after, pageSize, CancellationToken.None);
    }

    private async Task<IReadOnlyList<string>> SubjectsAsync(Actor viewer, string query) =>
        [.. (await SearchAsync(viewer, query)).Letters.Select(l => l.Letter.Headers.Subject)];

    private static MimeMessage Letter(string subject, string body, string from = "Sender <sender@specs.test>", string to = "Reader <reader@specs.test>",
        DateTimeOffset? date = null, (string Name, byte[] Content)? attachment = null)
    {
        var message = new MimeMessage { Subject = subject, Date = date ?? DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        var builder = new BodyBuilder { TextBody = body };
        if (attachment is { } file)
        {
            builder.Attachments.Add(file.Name, file.Content);
        }

        message.Body = builder.ToMessageBody();
        return message;
    }

    /// <summary>The letter's search row emptied, as a database from before search holds it.</summary>
    private static async Task ForgetSearchRowAsync(IDocumentStore store, Guid letterId)
    {
        await using var session = store.LightweightSession();
        session.QueueSqlCommand($"update {MailAccounts.Infrastructure.Import.Configuration.TextTable} set document = null, sorted = null, sender = null, recipients = null where letter_id = ?", letterId);
        await session.SaveChangesAsync();
    }

    /// <summary>A message written in a legacy charset: the subject an encoded word, the body 8-bit text, as old mailers send them.</summary>
    private static byte[] InCharset(string charset, string subject, string body)
    {
        var encoding = Encoding.GetEncoding(charset);
        var header = $"From: Sender <sender@specs.test>\r\nTo: reader@specs.test\r\nSubject: =?{charset}?B?{Convert.ToBase64String(encoding.GetBytes(subject))}?=\r\n" +
            $"Date: {DateTimeOffset.UtcNow:R}\r\nMessage-ID: <{Guid.NewGuid():N}@specs.test>\r\nMIME-Version: 1.0\r\n" +
            $"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(header), .. encoding.GetBytes(body + "\r\n")];
    }

    [Fact]
    public async Task russian_and_english_words_match_their_forms_in_every_charset()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        await product.ImportLetterAsync(account, Letter("Отчёт за ноябрь", "Высылаю документы письмами, как условились."));
        await product.ImportRawLetterAsync(account, InCharset("windows-1251", "Счета за октябрь", "Ответ на ваше Письмо о счетах."));
        await product.ImportRawLetterAsync(account, InCharset("koi8-r", "Договор поставки", "Подпишите договоры до пятницы."));
        await product.ImportLetterAsync(account, Letter("Invoices for March", "Please find the invoices attached, paid by wire."));
        await product.ImportLetterAsync(account, Letter("Unrelated", "Nothing to see here."));

        (await SubjectsAsync(viewer, "body:письмо")).ShouldBe(["Счета за октябрь", "Отчёт за ноябрь"], ignoreOrder: true);
        (await SubjectsAsync(viewer, "body:ДОГОВОР")).ShouldBe(["Договор поставки"]);
        (await SubjectsAsync(viewer, "subject:счёт")).ShouldBe(["Счета за октябрь"]);
        (await SubjectsAsync(viewer, "body:счёт")).ShouldBe(["Счета за октябрь"]);
        (await SubjectsAsync(viewer, "subject:пятница")).ShouldBe([]);
        (await SubjectsAsync(viewer, "отчет")).ShouldBe(["Отчёт за ноябрь"]);
        (await SubjectsAsync(viewer, "invoice")).ShouldBe(["Invoices for March"]);
        (await SubjectsAsync(viewer, "body:wires")).ShouldBe(["Invoices for March"]);
    }

    [Fact]
    public async Task each_field_is_searched_where_it_says_and_the_box_leaves_the_body_out_unless_asked()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        await product.ImportLetterAsync(account, Letter("Budget review", "The numbers are final.", from: "Ivan Petrov <ivan.petrov@acme.test>"));
        await product.ImportLetterAsync(account, Letter("Lunch", "About the budget: later.", to: "Olga Smirnova <olga@globex.test>"));

        (await SubjectsAsync(viewer, "budget")).ShouldBe(["Budget review"]);
        (await SubjectsAsync(viewer, "body:budget")).ShouldBe(["Lunch"]);
        (await SubjectsAsync(viewer, "text:budget")).ShouldBe(["Lunch", "Budget review"], ignoreOrder: true);
        (await SubjectsAsync(viewer, "from:ivan@")).ShouldBe([]);
        (await SubjectsAsync(viewer, "from:ivan.petrov@")).ShouldBe(["Budget review"]);
        (await SubjectsAsync(viewer, "from:@acme.test")).ShouldBe(["Budget review"]);
        (await SubjectsAsync(viewer, "from:petrov")).ShouldBe(["Budget review"]);
        (await SubjectsAsync(viewer, "to:smirnova")).ShouldBe(["Lunch"]);
        (await SubjectsAsync(viewer, "to:globex")).ShouldBe(["Lunch"]);
        (await SubjectsAsync(viewer, "globex")).ShouldBe(["Lunch"]);
        (await SubjectsAsync(viewer, "from:globex")).ShouldBe([]);
    }

    [Fact]
    public async Task phrases_negation_and_or_combine_as_the_query_says()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        await product.ImportLetterAsync(account, Letter("Quarterly report ready", "Attached."));
        await product.ImportLetterAsync(account, Letter("Report for the quarterly meeting", "Attached."));
        await product.ImportLetterAsync(account, Letter("Holiday plans", "Attached."));

        (await SubjectsAsync(viewer, "\"quarterly report\"")).ShouldBe(["Quarterly report ready"]);
        (await SubjectsAsync(viewer, "report -meeting")).ShouldBe(["Quarterly report ready"]);
        (await SubjectsAsync(viewer, "holiday OR meeting")).ShouldBe(["Report for the quarterly meeting", "Holiday plans"], ignoreOrder: true);
        (await SubjectsAsync(viewer, "-report")).ShouldBe(["Holiday plans"]);
        (await SubjectsAsync(viewer, "subject:\"!!!\"")).ShouldBe([]);
    }

    [Fact]
    public async Task dates_sizes_and_attachments_narrow_the_letters()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        await product.ImportLetterAsync(account, Letter("Old", "x", date: new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero)));
        await product.ImportLetterAsync(account, Letter("Newer", "x", date: new DateTimeOffset(2025, 3, 20, 12, 0, 0, TimeSpan.Zero)));
        await product.ImportLetterAsync(account, Letter("With file", "x", date: new DateTimeOffset(2025, 3, 15, 12, 0, 0, TimeSpan.Zero),
            attachment: ("big.bin", new byte[200_000])));

        (await SubjectsAsync(viewer, "after:2025-03-15")).ShouldBe(["Newer", "With file"]);
        (await SubjectsAsync(viewer, "before:2025-03-15")).ShouldBe(["Old"]);
        (await SubjectsAsync(viewer, "after:2025-03-11 before:2025-03-20")).ShouldBe(["With file"]);
        (await SubjectsAsync(viewer, "has:attachment")).ShouldBe(["With file"]);
        (await SubjectsAsync(viewer, "larger:100K")).ShouldBe(["With file"]);
        (await SubjectsAsync(viewer, "smaller:100K")).ShouldBe(["Newer", "Old"]);
    }

    [Fact]
    public async Task flags_are_refused_for_imported_mail_with_a_problem_and_not_ignored()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        await product.ImportLetterAsync(account, Letter("Any", "x"));

        var results = await SearchAsync(viewer, "is:unread any");

        results.Letters.ShouldBeEmpty();
        results.Problems.ShouldBe([new QueryProblem(SqlCriteria.NoFlagsInImported, "is:unread")]);
    }

    [Fact]
    public async Task pages_follow_one_another_newest_first_with_nothing_twice_and_nothing_missed()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        var day = new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);
        // Two letters share each date: the keyset's tie-break on the id keeps them apart across pages.
        foreach (var i in Enumerable.Range(0, 9))
        {
            await product.ImportLetterAsync(account, Letter($"Paged {i}", "same words", date: day.AddHours(i / 2)));
        }

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await SearchAsync(viewer, "paged", after, pageSize: 4);
            seen.AddRange(page.Letters.Select(l => l.Letter.Headers.Subject));
            after = page.After;
            pages++;
        }
        while (after is not null && pages < 10);

        pages.ShouldBe(3);
        seen.Count.ShouldBe(9);
        seen.Distinct().Count().ShouldBe(9);
        seen.Take(1).ShouldBe(["Paged 8"]);
        (await SearchAsync(viewer, "paged", "not-a-token", pageSize: 4)).Letters.Select(l => l.Letter.Headers.Subject).First().ShouldBe("Paged 8");
    }

    [Fact]
    public async Task the_preview_marks_the_words_found_in_the_text_as_written()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        await product.ImportLetterAsync(account, Letter("Contract", "Добрый день. Письмами от Ивана пришли Договоры на подпись; <script>alert(1)</script> остальное позже."));

        var found = (await SearchAsync(viewer, "text:договор text:письмо")).Letters.ShouldHaveSingleItem();

        var headline = found.Headline.ShouldNotBeNull();
        headline.Where(p => p.Matched).Select(p => p.Text).ShouldBe(["Письмами", "Договоры"]);
        string.Concat(headline.Select(p => p.Text)).ShouldContain("<script>");
        (await SearchAsync(viewer, "after:2000-01-01")).Letters.ShouldHaveSingleItem().Headline.ShouldBeNull();
    }

    [Fact]
    public async Task only_the_viewers_accounts_are_searched_and_a_group_account_while_it_is_granted()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        var (stranger, _, strangers) = await ReaderAsync();
        using var __ = stranger;
        var administrator = await product.AdministratorAsync();
        var group = await product.GroupAccountAsync(administrator, await product.NewMailboxAsync(), "Group " + Guid.NewGuid().ToString("N")[..6]);
        var word = "zebra" + Guid.NewGuid().ToString("N")[..6];
        await product.ImportLetterAsync(account, Letter($"Mine {word}", "x"));
        await product.ImportLetterAsync(strangers, Letter($"Theirs {word}", "x"));
        await product.ImportLetterAsync(group, Letter($"Group {word}", "x"));

        (await SubjectsAsync(viewer, word)).ShouldBe([$"Mine {word}"]);
        await product.GrantAsync(administrator, group, user.Login);
        (await SubjectsAsync(viewer, word)).ShouldBe([$"Mine {word}", $"Group {word}"], ignoreOrder: true);
        await product.RevokeAsync(administrator, group, user.Login);
        (await SubjectsAsync(viewer, word)).ShouldBe([$"Mine {word}"]);
    }

    [Fact]
    public async Task a_rebuild_writes_the_search_rows_again_from_the_letters()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        var id = await product.ImportLetterAsync(account, Letter("Rebuilt вопрос", "Содержание письма", from: "Anna <anna@rebuild.test>"));
        var store = product.Services.GetRequiredService<IDocumentStore>();
        await ForgetSearchRowAsync(store, id);

        (await SubjectsAsync(viewer, "вопросы")).ShouldBeEmpty();
        (await SearchIndex.MissingAsync(store, CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);

        (await SearchIndex.RebuildAsync(store, onlyMissing: true, CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(1);

        (await SubjectsAsync(viewer, "вопросы")).ShouldBe(["Rebuilt вопрос"]);
        (await SubjectsAsync(viewer, "from:anna@rebuild")).ShouldBe(["Rebuilt вопрос"]);
        (await SubjectsAsync(viewer, "body:письмо")).ShouldBe(["Rebuilt вопрос"]);
    }

    [Fact]
    public async Task a_host_starting_on_a_database_from_before_search_fills_in_the_missing_rows()
    {
        var (user, viewer, account) = await ReaderAsync();
        using var _ = user;
        var id = await product.ImportLetterAsync(account, Letter("Upgraded договоры", "x"));
        var store = product.Services.GetRequiredService<IDocumentStore>();
        await ForgetSearchRowAsync(store, id);

        (await SubjectsAsync(viewer, "договор")).ShouldBeEmpty();

        var fill = product.Services.GetRequiredService<SearchIndexFill>();
        await fill.StartedAsync(CancellationToken.None);
        await fill.Running;

        (await SubjectsAsync(viewer, "договор")).ShouldBe(["Upgraded договоры"]);
        (await SearchIndex.MissingAsync(store, CancellationToken.None)).ShouldBe(0);
    }

    /// <summary>The trigram and text indexes as the product declares them are the ones the database has: a restart migrates nothing.</summary>
    [Fact]
    public async Task the_database_holds_the_search_schema_as_declared()
    {
        await product.Services.GetRequiredService<IDocumentStore>().Storage.Database.AssertDatabaseMatchesConfigurationAsync();
    }
}
