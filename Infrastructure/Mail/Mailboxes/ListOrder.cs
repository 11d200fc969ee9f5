namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>The column a message list is sorted by. <see cref="From"/> sorts by the recipient in a Sent folder.</summary>
public enum ListSort
{
    Date,
    From,
    Subject,
    Size,
}

/// <summary>
/// How one page of a folder is ordered: by a column, either way, and whether replies sit under their parents.
/// <paramref name="ByRecipient"/> makes <see cref="ListSort.From"/> sort by the To address (a Sent folder).
/// </summary>
public sealed record ListOrder(ListSort Sort = ListSort.Date, bool Descending = true, bool Threaded = false, bool ByRecipient = false)
{
    /// <summary>Newest first, flat: the list as it always was.</summary>
    public static readonly ListOrder Newest = new();
}

/// <summary>What a bulk move did: the UIDs the messages got in the target folder (empty when the server cannot say, no UIDPLUS).</summary>
public sealed record Moved(string Target, IReadOnlyList<uint> NewUids);

/// <summary>
/// Threads of a page of messages, by their Message-ID and the ids they answer (References, then In-Reply-To), for a
/// server without THREAD: each reply under the newest-listed message it refers to that is on the page, roots in the
/// page's order, replies oldest first under their parent.
/// </summary>
public static class PageThreads
{
    public static IReadOnlyList<MessageRow> Arrange(IReadOnlyList<MessageRow> rows)
    {
        var byId = new Dictionary<string, MessageRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.MessageId is { Length: > 0 } id)
            {
                byId.TryAdd(id, row);
            }
        }

        // The nearest ancestor on the page: References lists the thread oldest first, so the last one present wins.
        MessageRow? ParentOf(MessageRow row) =>
            row.Answers.Reverse().Select(a => byId.GetValueOrDefault(a)).FirstOrDefault(p => p is not null && !ReferenceEquals(p, row));

        var children = rows.ToLookup(r => ParentOf(r)?.Id);
        var result = new List<MessageRow>(rows.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(MessageRow row, int depth)
        {
            if (!placed.Add(row.Id))
            {
                return;
            }

            result.Add(row with { Depth = depth });
            foreach (var child in children[row.Id].OrderBy(c => c.Date))
            {
                Place(child, depth + 1);
            }
        }

        foreach (var root in rows.Where(r => ParentOf(r) is null))
        {
            Place(root, 0);
        }

        // A cycle of references has no root: its messages stay flat rather than vanish.
        foreach (var left in rows.Where(r => !placed.Contains(r.Id)))
        {
            Place(left, 0);
        }

        return result;
    }
}
