using System.Globalization;
using MailAccounts.Domain.Search;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>
/// POP3 search: the headers of every message (TOP n 0) read and matched here, since POP3 has no search of its own.
/// What the header says can be searched: from, to and cc, subject, the Date header, the size (LIST). The body, the
/// whole message and the marks (POP3 keeps none) cannot, and are refused rather than ignored.
/// </summary>
internal sealed partial class Pop3Mailbox
{
    public Task<IReadOnlyList<string>> SearchFoldersAsync(string? under, IReadOnlyCollection<string> visible, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["INBOX"]);

    /// <summary>The part of the criteria POP3 cannot search, as the query words say it; null when it can search them all.</summary>
    public static string? Unsearchable(MailCriteria criteria) =>
        criteria.Text.SelectMany(c => c).FirstOrDefault(t => t.Field is TextField.Body or TextField.Whole) is { } term
            ? (term.Field == TextField.Body ? "body:" : "text:") + term.Text
            : criteria.Unread is not null ? "is:unread"
            : criteria.Flagged is not null ? "is:flagged"
            : criteria.Answered is not null ? "is:answered"
            : criteria.HasAttachment is not null ? "has:attachment"
            : null;

    public async Task<SearchHits> SearchAsync(string folder, MailCriteria criteria, int newest, bool dated, CancellationToken cancellationToken)
    {
        if (Unsearchable(criteria) is { } part)
        {
            throw new SearchRefusedException(SearchRefusedException.Pop3Unsupported, part);
        }

        var count = await client.GetMessageCountAsync(cancellationToken);
        if (count == 0)
        {
            return new SearchHits(0, [], 0);
        }

        var uids = await client.GetMessageUidsAsync(cancellationToken);
        var sizes = await client.GetMessageSizesAsync(cancellationToken);
        var found = new List<SearchHit>();
        // Newest first: the last in the maildrop arrived last.
        for (var index = count - 1; index >= 0; index--)
        {
            if (criteria.Larger is { } larger && sizes[index] <= larger || criteria.Smaller is { } smaller && sizes[index] >= smaller)
            {
                continue;
            }

            var headers = await client.GetMessageHeadersAsync(index, cancellationToken);
            var date = MimeKit.Utils.DateUtils.TryParse(headers[HeaderId.Date] ?? "", out var parsed) ? parsed : DateTimeOffset.MinValue;
            if (Matches(headers, date, criteria))
            {
                found.Add(new SearchHit(uids[index], date));
            }
        }

        return new SearchHits(found.Count, [.. found.Take(Math.Max(0, newest))], 0);
    }

    public async Task<IReadOnlyList<MessageRow>> SearchRowsAsync(string folder, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var uids = await client.GetMessageUidsAsync(cancellationToken);
        var sizes = await client.GetMessageSizesAsync(cancellationToken);
        var rows = new List<MessageRow>();
        foreach (var id in ids)
        {
            var index = uids.IndexOf(id);
            if (index < 0)
            {
                continue;
            }

            var headers = await client.GetMessageHeadersAsync(index, cancellationToken);
            var date = MimeKit.Utils.DateUtils.TryParse(headers[HeaderId.Date] ?? "", out var parsed) ? parsed : DateTimeOffset.MinValue;
            rows.Add(new MessageRow(id, MailHeaders.SenderOf(MailHeaders.From(headers, parsing)), MailHeaders.Subject(headers, parsing) ?? "", date,
                (uint)sizes[index], Seen: true, Flagged: false, HasAttachments: false, ""));
        }

        return rows;
    }

    /// <summary>As IMAP SEARCH compares: text contained, case-insensitive; days by the Date header's own calendar day.</summary>
    private bool Matches(HeaderList headers, DateTimeOffset date, MailCriteria criteria)
    {
        var from = Addresses(headers, HeaderId.From);
        var to = Addresses(headers, HeaderId.To) + "\n" + Addresses(headers, HeaderId.Cc);
        var subject = MailHeaders.Subject(headers, parsing) ?? "";
        bool Contains(string haystack, string needle) => haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);
        bool Term(TextTerm term)
        {
            var hit = term.Field switch
            {
                TextField.From => Contains(from, term.Text),
                TextField.To => Contains(to, term.Text),
                TextField.Subject => Contains(subject, term.Text),
                _ => Contains(from, term.Text) || Contains(to, term.Text) || Contains(subject, term.Text),
            };
            return hit != term.Negated;
        }

        if (!criteria.Text.All(clause => clause.Any(Term)))
        {
            return false;
        }

        var day = DateOnly.FromDateTime(date.DateTime);
        return (criteria.Since is not { } since || (date != DateTimeOffset.MinValue && day >= since))
            && (criteria.Before is not { } before || (date != DateTimeOffset.MinValue && day < before));
    }

    /// <summary>Names and addresses of a header, decoded, one per line: "Анна Смирнова anna@acme.test".</summary>
    private string Addresses(HeaderList headers, HeaderId id) =>
        headers.FirstOrDefault(h => h.Id == id) is { } header && InternetAddressList.TryParse(parsing, header.RawValue, out var list)
            ? string.Join('\n', list.Mailboxes.Select(m => $"{m.Name} <{m.Address}>"))
            : "";
}
