using MailAccounts.Domain.Search;

namespace MailAccounts.Specs.Domain.Search;

/// <summary>The search box's query words (Domain/Search/QueryWords.cs): what each says, and a message for each mistake, never an exception.</summary>
public sealed class reading_query_words
{
    private static MailCriteria Read(string query)
    {
        var parsed = QueryWords.Parse(query);
        parsed.Problems.ShouldBeEmpty(string.Join(", ", parsed.Problems));
        return parsed.Criteria!;
    }

    private static string ProblemOf(string query) => QueryWords.Parse(query).Problems.ShouldHaveSingleItem().Code;

    [Fact]
    public void plain_words_must_all_match_in_from_to_or_subject()
    {
        var criteria = Read("  invoice   Иванов ");

        criteria.Text.Select(c => c.Single()).ShouldBe([new TextTerm(TextField.Any, "invoice"), new TextTerm(TextField.Any, "Иванов")]);
        criteria.IsEmpty.ShouldBeFalse();
    }

    [Fact]
    public void nothing_typed_is_everything()
    {
        Read("").IsEmpty.ShouldBeTrue();
        Read("   ").Text.ShouldBeEmpty();
        QueryWords.Parse(null).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void fields_phrases_and_negation()
    {
        var criteria = Read("from:ivan@ to:@acme.test cc:boris subject:\"quarterly report\" body:счёт text:urgent -spam -from:noreply@");

        criteria.Text.Select(c => c.Single()).ShouldBe(
        [
            new TextTerm(TextField.From, "ivan@"),
            new TextTerm(TextField.To, "@acme.test"),
            new TextTerm(TextField.To, "boris"),
            new TextTerm(TextField.Subject, "quarterly report", Phrase: true),
            new TextTerm(TextField.Body, "счёт"),
            new TextTerm(TextField.Whole, "urgent"),
            new TextTerm(TextField.Any, "spam", Negated: true),
            new TextTerm(TextField.From, "noreply@", Negated: true),
        ]);
    }

    [Fact]
    public void a_quoted_phrase_keeps_its_spaces_and_its_colons()
    {
        var criteria = Read("\"meeting at 10:30\" re:budget");

        criteria.Text[0].Single().ShouldBe(new TextTerm(TextField.Any, "meeting at 10:30", Phrase: true));
        criteria.Text[1].Single().ShouldBe(new TextTerm(TextField.Any, "re:budget"));
    }

    [Fact]
    public void or_joins_the_terms_either_side_into_one_clause()
    {
        var criteria = Read("from:anna OR from:boris invoice");

        criteria.Text.Count.ShouldBe(2);
        criteria.Text[0].ShouldBe([new TextTerm(TextField.From, "anna"), new TextTerm(TextField.From, "boris")]);
        criteria.Text[1].Single().Text.ShouldBe("invoice");
        Read("a or b").Text.Count.ShouldBe(3, "only OR in capitals joins: 'or' is a word");
    }

    [Fact]
    public void conditions_flags_attachments_dates_and_sizes()
    {
        var criteria = Read("is:unread is:flagged -is:answered has:attachment after:2026-11-01 before:30.11.2026 larger:10K smaller:5M");

        (criteria.Unread, criteria.Flagged, criteria.Answered, criteria.HasAttachment).ShouldBe((true, true, false, true));
        (criteria.Since, criteria.Before).ShouldBe((new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)));
        (criteria.Larger, criteria.Smaller).ShouldBe((10_240L, 5_242_880L));
        criteria.Text.ShouldBeEmpty();
        var read = Read("is:read since:2026/1/5");
        (read.Unread, read.Since, read.Text.Count).ShouldBe((false, new DateOnly(2026, 1, 5), 0));
        var rest = Read("-has:attachment is:starred is:unanswered");
        (rest.HasAttachment, rest.Flagged, rest.Answered).ShouldBe((false, true, false));
    }

    [Theory]
    [InlineData("500", 500L)]
    [InlineData("2k", 2048L)]
    [InlineData("3MB", 3_145_728L)]
    [InlineData("1G", 1_073_741_824L)]
    public void sizes_are_counted_in_binary_multiples(string typed, long bytes) => QueryWords.Size(typed).ShouldBe(bytes);

    [Theory]
    [InlineData("subject:\"never closed", QueryWords.UnclosedQuote)]
    [InlineData("from:", QueryWords.EmptyValue)]
    [InlineData("is:important", QueryWords.UnknownIs)]
    [InlineData("has:pictures", QueryWords.UnknownHas)]
    [InlineData("before:yesterday", QueryWords.BadDate)]
    [InlineData("after:2026-02-30", QueryWords.BadDate)]
    [InlineData("larger:big", QueryWords.BadSize)]
    [InlineData("larger:99999999999999G", QueryWords.BadSize)]
    [InlineData("OR invoice", QueryWords.DanglingOr)]
    [InlineData("invoice OR", QueryWords.DanglingOr)]
    [InlineData("is:unread OR invoice", QueryWords.DanglingOr)]
    [InlineData("invoice OR -paid", QueryWords.NegatedOr)]
    [InlineData("after:2026-12-01 before:2026-11-01", QueryWords.DatesCrossed)]
    public void each_mistake_is_named_with_the_part_at_fault(string query, string code) => ProblemOf(query).ShouldBe(code);

    [Fact]
    public void every_problem_is_given_at_once_and_no_criteria_with_them()
    {
        var parsed = QueryWords.Parse("is:maybe larger:huge before:soon");

        parsed.IsValid.ShouldBeFalse();
        parsed.Criteria.ShouldBeNull();
        parsed.Problems.Select(p => (p.Code, p.Part)).ShouldBe(
            [(QueryWords.UnknownIs, "is:maybe"), (QueryWords.BadSize, "larger:huge"), (QueryWords.BadDate, "before:soon")]);
    }

    [Fact]
    public void whatever_is_typed_it_never_throws()
    {
        var random = new Random(17);
        const string alphabet = "ab: \"-ORis:has:from:larger:before:2026-1.0KMG@ю";
        for (var i = 0; i < 2000; i++)
        {
            var query = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            Should.NotThrow(() => QueryWords.Parse(query), query);
        }

        ProblemOf(new string('a', QueryWords.MaxLength + 1)).ShouldBe(QueryWords.TooLong);
    }
}
