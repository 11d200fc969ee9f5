using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Search;

namespace MailAccounts.Specs.Domain.Search;

/// <summary>
/// The criteria as SQL over imported mail's search row (Infrastructure/Search/SqlCriteria.cs), read without a
/// database: which column or weight each field asks, how clauses and terms join, and that the tsquery text it writes
/// quotes every word, so that nothing typed is ever an operator (the integration specs run the same on PostgreSQL).
/// </summary>
public sealed class asking_imported_mail
{
    private static SqlWhere Sql(string query) => SqlCriteria.Text(QueryWords.Parse(query).Criteria!).ShouldNotBeNull();

    [Theory]
    [InlineData("subject:invoice", "(t.document @@ to_tsquery('russian', ?))", "'invoice':A")]
    [InlineData("body:invoice", "(t.document @@ to_tsquery('russian', ?))", "'invoice':D")]
    [InlineData("from:Petrov", "(t.sender like ?)", "%petrov%")]
    [InlineData("to:@acme.test", "(t.recipients like ?)", "%@acme.test%")]
    public void each_field_asks_its_column_or_weight(string query, string sql, string parameter)
    {
        var where = Sql(query);

        where.Sql.ShouldBe(sql);
        where.Parameters.ShouldBe([parameter]);
    }

    [Fact]
    public void the_box_default_asks_the_subject_and_the_addresses_and_the_whole_message_every_weight()
    {
        Sql("report").Sql.ShouldBe("((t.document @@ to_tsquery('russian', ?) or t.sender like ? or t.recipients like ?))");
        Sql("report").Parameters.ShouldBe(["'report':A", "%report%", "%report%"]);
        Sql("text:report").Parameters.ShouldBe(["'report'", "%report%", "%report%"]);
    }

    [Fact]
    public void clauses_are_anded_a_clauses_terms_ored_and_a_negated_term_is_under_not()
    {
        var where = Sql("subject:a OR body:b -subject:c");

        where.Sql.ShouldBe("(t.document @@ to_tsquery('russian', ?) or t.document @@ to_tsquery('russian', ?)) and (not t.document @@ to_tsquery('russian', ?))");
        where.Parameters.ShouldBe(["'a':A", "'b':D", "'c':A"]);
    }

    [Theory]
    [InlineData("Quarterly Report", true, "", "'quarterly' <-> 'report'")]
    [InlineData("Quarterly Report", false, "A", "'quarterly':A & 'report':A")]
    [InlineData("it's ПИСЬМО", false, "", "'it''s' & 'письмо'")]
    [InlineData("Счёт", false, "", "'счет'")]
    [InlineData("a&b|c !d (e) <-> f:*", false, "", "'a' & 'b' & 'c' & 'd' & 'e' & 'f'")]
    [InlineData("back\\slash", false, "", "'back' & 'slash'")]
    [InlineData("ivan.petrov@acme.test", false, "", "'ivan.petrov@acme.test'")]
    public void a_tsquery_quotes_every_word_lowered_so_no_character_typed_is_an_operator(string text, bool phrase, string weights, string expected)
    {
        SqlCriteria.TsQuery(text, phrase, weights).ShouldBe(expected);
    }

    [Fact]
    public void punctuation_alone_asks_for_nothing_and_finds_nothing()
    {
        SqlCriteria.TsQuery("!!! ???", phrase: false, weights: "").ShouldBeNull();
        Sql("subject:\"!!!\"").Sql.ShouldBe("(false)");
        Sql("-subject:\"!!!\"").Sql.ShouldBe("(not false)");
    }

    [Fact]
    public void a_word_longer_than_any_real_one_is_cut_instead_of_refused_by_postgresql()
    {
        SqlCriteria.TsQuery(new string('x', 5000), phrase: false, weights: "").ShouldBe("'" + new string('x', SqlCriteria.MaxWordLength) + "'");
    }

    [Fact]
    public void like_patterns_escape_the_wildcards_typed()
    {
        Sql("from:50%_off\\").Parameters.ShouldBe(["%50\\%\\_off\\\\%"]);
    }

    [Fact]
    public void flags_are_named_as_what_imported_mail_cannot_answer()
    {
        SqlCriteria.Unanswerable(QueryWords.Parse("is:unread is:flagged is:unanswered x").Criteria!)
            .ShouldBe([new("Search.NoFlagsInImported", "is:unread"), new("Search.NoFlagsInImported", "is:flagged"), new("Search.NoFlagsInImported", "is:unanswered")]);
        SqlCriteria.Unanswerable(QueryWords.Parse("has:attachment after:2026-01-01 larger:1M x").Criteria!).ShouldBeEmpty();
    }

    [Fact]
    public void only_words_searched_for_and_not_left_out_are_highlighted()
    {
        SqlCriteria.Highlighted(QueryWords.Parse("subject:invoice -draft from:anna").Criteria!).ShouldBe("('invoice') | ('anna')");
        SqlCriteria.Highlighted(QueryWords.Parse("is:unread").Criteria!).ShouldBeNull();
    }
}
