using MailAccounts.Domain.Search;
using MailKit.Search;

namespace MailAccounts.Infrastructure.Search;

/// <summary>
/// The criteria as one IMAP <c>UID SEARCH</c>: every clause ANDed, a clause's terms ORed, a negated term under NOT.
/// Text the box searches by default is From, To, Cc and Subject; Whole is IMAP TEXT. "Has attachment" is what the
/// header can say (Roundcube's test: a mixed, signed or report body, or a part of an application type), since IMAP has
/// no criterion for it.
/// </summary>
public static class ImapCriteria
{
    public static SearchQuery ToSearchQuery(MailCriteria criteria)
    {
        var parts = new List<SearchQuery>();
        foreach (var clause in criteria.Text)
        {
            parts.Add(clause.Select(Term).Aggregate(SearchQuery.Or));
        }

        if (criteria.Unread is { } unread)
        {
            parts.Add(unread ? SearchQuery.NotSeen : SearchQuery.Seen);
        }

        if (criteria.Flagged is { } flagged)
        {
            parts.Add(flagged ? SearchQuery.Flagged : SearchQuery.NotFlagged);
        }

        if (criteria.Answered is { } answered)
        {
            parts.Add(answered ? SearchQuery.Answered : SearchQuery.NotAnswered);
        }

        if (criteria.HasAttachment is { } attachment)
        {
            parts.Add(attachment ? WithAttachment : SearchQuery.Not(WithAttachment));
        }

        // MailKit's DeliveredAfter is SINCE (that day included), DeliveredBefore is BEFORE (that day not). With both, its
        // advice: NOT (BEFORE first OR SINCE last), which servers agree on where an AND of the two is not always.
        if (criteria.Since is { } since && criteria.Before is { } before)
        {
            parts.Add(SearchQuery.Not(SearchQuery.DeliveredBefore(Day(since)).Or(SearchQuery.DeliveredAfter(Day(before)))));
        }
        else if (criteria.Since is { } onlySince)
        {
            parts.Add(SearchQuery.DeliveredAfter(Day(onlySince)));
        }
        else if (criteria.Before is { } onlyBefore)
        {
            parts.Add(SearchQuery.DeliveredBefore(Day(onlyBefore)));
        }

        if (criteria.Larger is { } larger)
        {
            parts.Add(SearchQuery.LargerThan((int)Math.Min(larger, int.MaxValue)));
        }

        if (criteria.Smaller is { } smaller)
        {
            parts.Add(SearchQuery.SmallerThan((int)Math.Min(smaller, int.MaxValue)));
        }

        return parts.Count == 0 ? SearchQuery.All : parts.Aggregate(SearchQuery.And);
    }

    private static readonly SearchQuery WithAttachment = new[] { "multipart/mixed", "multipart/signed", "multipart/report", "application/" }
        .Select(type => (SearchQuery)SearchQuery.HeaderContains("Content-Type", type))
        .Aggregate(SearchQuery.Or);

    private static SearchQuery Term(TextTerm term)
    {
        var text = term.Text;
        SearchQuery query = term.Field switch
        {
            TextField.From => SearchQuery.FromContains(text),
            TextField.To => SearchQuery.ToContains(text).Or(SearchQuery.CcContains(text)),
            TextField.Subject => SearchQuery.SubjectContains(text),
            TextField.Body => SearchQuery.BodyContains(text),
            TextField.Whole => SearchQuery.MessageContains(text),
            _ => SearchQuery.FromContains(text).Or(SearchQuery.ToContains(text)).Or(SearchQuery.CcContains(text)).Or(SearchQuery.SubjectContains(text)),
        };
        return term.Negated ? SearchQuery.Not(query) : query;
    }

    private static DateTime Day(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}
