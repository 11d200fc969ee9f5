using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>The message list's order (SORT, THREAD) and its bulk actions: one IMAP command on a UID set per action.</summary>
internal sealed partial class ImapMailbox
{
    /// <summary>
    /// The folder's UIDs in the order asked for, and the order that was given: newest first is the arrival order
    /// (remembered on the connection, see <see cref="NewestFirst"/>); another column needs SORT, without which the
    /// folder is listed by date.
    /// </summary>
    private async Task<(IList<UniqueId> Uids, ListOrder Applied)> OrderedUidsAsync(IMailFolder folder, ListOrder order, CancellationToken cancellationToken)
    {
        if (order.Sort == ListSort.Date || !client.Capabilities.HasFlag(ImapCapabilities.Sort))
        {
            var newest = await NewestFirst.UidsAsync(client, folder, cancellationToken);
            var descending = order.Sort != ListSort.Date || order.Descending;
            return (descending ? newest : newest.Reverse().ToList(), order with { Sort = ListSort.Date, Descending = descending });
        }

        var key = order.Sort switch
        {
            ListSort.From => order.ByRecipient ? OrderByType.To : OrderByType.From,
            ListSort.Subject => OrderByType.Subject,
            _ => OrderByType.Size,
        };
        var by = new OrderBy(key, order.Descending ? SortOrder.Descending : SortOrder.Ascending);
        // Ties (the same subject) newest first, as the flat list shows them.
        return (await folder.SortAsync(SearchQuery.All, [by, OrderBy.ReverseArrival], cancellationToken), order);
    }

    /// <summary>The page's rows arranged in threads: THREAD=REFERENCES over the page's UIDs where the server has it, else by their headers.</summary>
    private async Task<IReadOnlyList<MessageRow>> ThreadedAsync(IMailFolder folder, IReadOnlyList<MessageRow> rows, CancellationToken cancellationToken)
    {
        if (!client.Capabilities.HasFlag(ImapCapabilities.Thread) || !((ImapFolder)folder).ThreadingAlgorithms.Contains(ThreadingAlgorithm.References))
        {
            return PageThreads.Arrange(rows);
        }

        var byUid = rows.ToDictionary(r => uint.Parse(r.Id, CultureInfo.InvariantCulture));
        var threads = await folder.ThreadAsync([.. byUid.Keys.Select(u => new UniqueId(u))], ThreadingAlgorithm.References, SearchQuery.All, cancellationToken);
        var arranged = new List<MessageRow>(rows.Count);
        var order = rows.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);

        // A thread's place on the page is that of its first listed message; a root the server only infers (no UID) is skipped.
        int First(MessageThread thread) =>
            Math.Min(thread.UniqueId is { } uid && byUid.TryGetValue(uid.Id, out var row) ? order[row.Id] : int.MaxValue,
                thread.Children.Count == 0 ? int.MaxValue : thread.Children.Min(First));

        void Place(MessageThread thread, int depth)
        {
            var here = thread.UniqueId is { } uid && byUid.TryGetValue(uid.Id, out var row);
            if (here)
            {
                arranged.Add(byUid[thread.UniqueId!.Value.Id] with { Depth = depth });
            }

            foreach (var child in thread.Children)
            {
                Place(child, here ? depth + 1 : depth);
            }
        }

        foreach (var thread in threads.OrderBy(First))
        {
            Place(thread, 0);
        }

        // Whatever the server left out stays on the page, flat.
        arranged.AddRange(rows.Where(r => arranged.All(a => a.Id != r.Id)));
        return arranged;
    }

    private static IReadOnlyList<string> Answers(IMessageSummary summary)
    {
        var references = summary.Headers?.FirstOrDefault(h => h.Id == HeaderId.References) is { } header
            ? MimeKit.Utils.MimeUtils.EnumerateReferences(header.Value).ToList()
            : [];
        if (summary.Envelope?.InReplyTo is { Length: > 0 } inReplyTo && !references.Contains(inReplyTo))
        {
            references.Add(inReplyTo.Trim('<', '>'));
        }

        return references;
    }

    public async Task SetFlagsAsync(string folderName, IReadOnlyList<uint> uids, MailFlag flag, bool set, CancellationToken cancellationToken)
    {
        var folder = await OpenForWriteAsync(folderName, cancellationToken);
        var which = flag == MailFlag.Seen ? MessageFlags.Seen : MessageFlags.Flagged;
        await folder.StoreAsync(Set(uids), new StoreFlagsRequest(set ? StoreAction.Add : StoreAction.Remove, which) { Silent = true }, cancellationToken);
    }

    public async Task<Moved> MoveAsync(string folderName, IReadOnlyList<uint> uids, string target, CancellationToken cancellationToken)
    {
        var folder = await OpenForWriteAsync(folderName, cancellationToken);
        var destination = await client.GetFolderAsync(target, cancellationToken);
        var map = await folder.MoveToAsync(Set(uids), destination, cancellationToken);
        return new Moved(destination.FullName, map is null ? [] : [.. uids.Select(u => map.TryGetValue(new UniqueId(u), out var to) ? to.Id : 0).Where(u => u != 0)]);
    }

    public async Task DeleteAsync(string folderName, IReadOnlyList<uint> uids, CancellationToken cancellationToken)
    {
        if (!client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            throw new NotSupportedException("The server cannot expunge chosen messages alone (no UIDPLUS): nothing was deleted.");
        }

        var folder = await OpenForWriteAsync(folderName, cancellationToken);
        await folder.StoreAsync(Set(uids), new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
        await folder.ExpungeAsync(Set(uids), cancellationToken);
    }

    private async Task<IMailFolder> OpenForWriteAsync(string folderName, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        if (!folder.IsOpen || folder.Access != FolderAccess.ReadWrite)
        {
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        }

        return folder;
    }

    private static UniqueIdSet Set(IReadOnlyList<uint> uids) => new(uids.Where(u => u != 0).Select(u => new UniqueId(u)), SortOrder.Ascending);
}
