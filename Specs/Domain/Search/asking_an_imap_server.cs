using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Search;
using MailKit.Search;

namespace MailAccounts.Specs.Domain.Search;

/// <summary>
/// The criteria as IMAP SEARCH (Infrastructure/Search/ImapCriteria.cs), read back from MailKit's query tree: each
/// criterion becomes the key RFC 3501 names for it, a clause's terms an OR, a negated term a NOT.
/// </summary>
public sealed class asking_an_imap_server
{
    private static string Imap(string query) => Describe(ImapCriteria.ToSearchQuery(QueryWords.Parse(query).Criteria!));

    /// <summary>The query tree in IMAP's own prefix words.</summary>
    private static string Describe(SearchQuery query) => query switch
    {
        BinarySearchQuery { Term: SearchTerm.And } and => $"{Describe(and.Left)} {Describe(and.Right)}",
        BinarySearchQuery { Term: SearchTerm.Or } or => $"(OR {Describe(or.Left)} {Describe(or.Right)})",
        UnarySearchQuery { Term: SearchTerm.Not } not => $"(NOT {Describe(not.Operand)})",
        HeaderSearchQuery header => $"HEADER {header.Field} \"{header.Value}\"",
        TextSearchQuery text => $"{Key(text.Term)} \"{text.Text}\"",
        DateSearchQuery date => $"{Key(date.Term)} {date.Date:yyyy-MM-dd}",
        NumericSearchQuery number => $"{Key(number.Term)} {number.Value}",
        _ => Key(query.Term),
    };

    private static string Key(SearchTerm term) => term switch
    {
        SearchTerm.FromContains => "FROM",
        SearchTerm.ToContains => "TO",
        SearchTerm.CcContains => "CC",
        SearchTerm.SubjectContains => "SUBJECT",
        SearchTerm.BodyContains => "BODY",
        SearchTerm.MessageContains => "TEXT",
        SearchTerm.DeliveredAfter => "SINCE",
        SearchTerm.DeliveredBefore => "BEFORE",
        SearchTerm.LargerThan => "LARGER",
        SearchTerm.SmallerThan => "SMALLER",
        SearchTerm.NotSeen => "UNSEEN",
        SearchTerm.Seen => "SEEN",
        SearchTerm.Flagged => "FLAGGED",
        SearchTerm.NotFlagged => "UNFLAGGED",
        SearchTerm.Answered => "ANSWERED",
        SearchTerm.NotAnswered => "UNANSWERED",
        SearchTerm.All => "ALL",
        _ => term.ToString(),
    };

    [Fact]
    public void nothing_asked_is_all() => Imap("").ShouldBe("ALL");

    [Fact]
    public void a_plain_word_is_looked_for_in_from_to_cc_and_subject() =>
        Imap("счёт").ShouldBe("(OR (OR (OR FROM \"счёт\" TO \"счёт\") CC \"счёт\") SUBJECT \"счёт\")");

    [Fact]
    public void each_field_has_its_key_and_to_takes_cc_too()
    {
        Imap("from:ivan@").ShouldBe("FROM \"ivan@\"");
        Imap("to:@acme.test").ShouldBe("(OR TO \"@acme.test\" CC \"@acme.test\")");
        Imap("subject:\"quarterly report\"").ShouldBe("SUBJECT \"quarterly report\"");
        Imap("body:invoice").ShouldBe("BODY \"invoice\"");
        Imap("text:urgent").ShouldBe("TEXT \"urgent\"");
    }

    [Fact]
    public void clauses_are_anded_or_joins_and_minus_negates() =>
        Imap("from:anna OR from:boris -subject:spam").ShouldBe("(OR FROM \"anna\" FROM \"boris\") (NOT SUBJECT \"spam\")");

    [Fact]
    public void flags_and_sizes()
    {
        Imap("is:unread is:flagged is:answered").ShouldBe("UNSEEN FLAGGED ANSWERED");
        Imap("is:read is:unflagged is:unanswered").ShouldBe("SEEN UNFLAGGED UNANSWERED");
        Imap("larger:10K smaller:1M").ShouldBe("LARGER 10240 SMALLER 1048576");
    }

    [Fact]
    public void a_date_range_is_not_before_the_first_day_nor_on_or_after_the_last()
    {
        Imap("after:2026-11-01 before:2026-12-01").ShouldBe("(NOT (OR BEFORE 2026-11-01 SINCE 2026-12-01))");
        Imap("after:2026-11-01").ShouldBe("SINCE 2026-11-01");
        Imap("before:2026-12-01").ShouldBe("BEFORE 2026-12-01");
    }

    [Fact]
    public void an_attachment_is_what_the_content_type_header_can_tell()
    {
        var types = "(OR (OR (OR HEADER Content-Type \"multipart/mixed\" HEADER Content-Type \"multipart/signed\") HEADER Content-Type \"multipart/report\") HEADER Content-Type \"application/\")";
        Imap("has:attachment").ShouldBe(types);
        Imap("-has:attachment").ShouldBe($"(NOT {types})");
    }
}
