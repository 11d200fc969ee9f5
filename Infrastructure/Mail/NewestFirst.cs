using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// The UIDs of a folder, newest first (SORT where the server has it), remembered on the connection for as long as the
/// folder provably holds the same messages: a kept connection sorts a folder of 100,000 messages once, not for every
/// page. Only the set of messages decides the arrival order (flags do not). One cheap ESEARCH for the count and the
/// highest UID tells whether the set is still the sorted one: a new message always gets a UID above every earlier
/// one, and expunging alone lowers the count. The server answers it from the folder as this connection last saw it
/// and sends the news since then (EXISTS, EXPUNGE) with the answer, as it does with any command; so the set is the
/// same only when the answer matches the sorted list and no news came. That is as fresh as a SORT on the same
/// connection would be. One folder is remembered per connection, and only while the connection lives; without
/// ESEARCH nothing is remembered.
/// </summary>
internal sealed class NewestFirst
{
    private static readonly ConditionalWeakTable<IMailStore, NewestFirst> Connections = new();

    private Sorted? _sorted;

    public static Task<IList<UniqueId>> UidsAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken) =>
        Connections.GetValue(client, _ => new NewestFirst()).GetAsync(client, folder, cancellationToken);

    private async Task<IList<UniqueId>> GetAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken)
    {
        var probe = client.Capabilities.HasFlag(ImapCapabilities.ESearch);
        var bySort = client.Capabilities.HasFlag(ImapCapabilities.Sort);
        if (probe && _sorted is { } sorted && sorted.Folder == folder.FullName && folder.UidValidity == sorted.UidValidity)
        {
            var seen = await SeenAsync(folder, cancellationToken);
            if (!seen.Removed && !seen.Grew && seen.Count == sorted.Uids.Count && seen.Max == sorted.Max)
            {
                return sorted.Uids;
            }

            if (!seen.Removed && await OnTopAsync(folder, sorted, bySort, cancellationToken) is { } extended)
            {
                _sorted = extended;
                return extended.Uids;
            }
        }

        _sorted = null;
        IList<UniqueId> uids = bySort
            ? await folder.SortAsync(SearchQuery.All, [OrderBy.ReverseArrival], cancellationToken)
            : (await folder.SearchAsync(SearchQuery.All, cancellationToken)).Reverse().ToList();
        if (probe)
        {
            // The key comes from the list itself, so a message that arrived while the SORT ran cannot be missed.
            _sorted = new Sorted(folder.FullName, folder.UidValidity, uids, uids.Count == 0 ? null : uids.Max());
        }

        return uids;
    }

    /// <summary>
    /// The folder's count and highest UID as the server answered, and whether news came with the answer: a message gone,
    /// or more messages (then the answer may be the folder as this connection saw it before).
    /// </summary>
    private static async Task<Seen> SeenAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        var count = folder.Count;
        var removed = false;
        void Removed(object? sender, EventArgs e) => removed = true;
        folder.MessageExpunged += Removed;
        folder.MessagesVanished += Removed;
        try
        {
            var seen = await folder.SearchAsync(SearchOptions.Count | SearchOptions.Max, SearchQuery.All, cancellationToken);
            return new Seen(seen.Count, seen.Max, removed, folder.Count != count);
        }
        finally
        {
            folder.MessageExpunged -= Removed;
            folder.MessagesVanished -= Removed;
        }
    }

    /// <summary>
    /// The kept list with the new mail in its place, without sorting the folder again, when that place is provably the
    /// one a SORT would give: nothing went (the count grew by exactly the new UIDs), and every new message arrived later
    /// than the last of the leading messages whose arrival is known (<see cref="Sorted.Known"/>), so that it belongs
    /// among them. There REVERSE ARRIVAL orders by INTERNALDATE, newest first, and ties keep the mailbox's order
    /// (RFC 5256: REVERSE turns the criterion, not the tie-break), where a new message comes after every earlier one:
    /// a stable sort of the known messages followed by the new ones is the server's order. Without SORT the order is
    /// the UIDs', where new mail is always on top. Null when the folder must be sorted anew (a message appended with
    /// an earlier date, say), which costs one small FETCH more than sorting at once. The FETCH asks for every UID above
    /// the kept ones (<c>n:*</c>), so mail that came with the probe's news counts.
    /// </summary>
    private static async Task<Sorted?> OnTopAsync(IMailFolder folder, Sorted sorted, bool bySort, CancellationToken cancellationToken)
    {
        var above = new UniqueId(sorted.Max is { } last ? last.Id + 1 : 1);
        var removed = false;
        void Removed(object? sender, EventArgs e) => removed = true;
        folder.MessageExpunged += Removed;
        folder.MessagesVanished += Removed;
        IList<IMessageSummary> summaries;
        var known = sorted.Known;
        try
        {
            const MessageSummaryItems Dates = MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate;
            summaries = await folder.FetchAsync(new UniqueIdRange(above, UniqueId.MaxValue), Dates, cancellationToken);
            if (bySort && known.Count == 0 && sorted.Uids.Count > 0)
            {
                // Once per sort: the newest message's arrival; after that the new messages' are known too.
                known = [.. (await folder.FetchAsync([sorted.Uids[0]], Dates, cancellationToken)).Select(s => s.InternalDate).OfType<DateTimeOffset>()];
            }
        }
        finally
        {
            folder.MessageExpunged -= Removed;
            folder.MessagesVanished -= Removed;
        }

        // "n:*" names the last message when no UID is as high as n: it is not new.
        var added = summaries.Where(s => s.UniqueId >= above).OrderBy(s => s.UniqueId).ToList();
        if (removed || added.Count == 0 || sorted.Uids.Count + added.Count != folder.Count)
        {
            return null;
        }

        if (!bySort)
        {
            return sorted with { Uids = [.. added.Select(s => s.UniqueId).Reverse(), .. sorted.Uids], Max = added[^1].UniqueId };
        }

        var wholeListKnown = known.Count == sorted.Uids.Count;
        if (added.Any(s => s.InternalDate is null) || (!wholeListKnown && (known.Count == 0 || added.Any(s => s.InternalDate <= known[^1]))))
        {
            return null;
        }

        // OrderByDescending is a stable sort: equal arrivals keep the known order, then the new ones by UID.
        var merged = sorted.Uids.Take(known.Count).Zip(known)
            .Concat(added.Select(s => (s.UniqueId, s.InternalDate!.Value)))
            .OrderByDescending(entry => entry.Item2)
            .ToList();
        return sorted with
        {
            Uids = [.. merged.Select(entry => entry.Item1), .. sorted.Uids.Skip(known.Count)],
            Max = added[^1].UniqueId,
            Known = [.. merged.Take(KnownAtMost).Select(entry => entry.Item2)],
        };
    }

    private sealed record Seen(int Count, UniqueId? Max, bool Removed, bool Grew);

    /// <summary>Leading arrivals kept at most: the newest messages are the ones new mail is placed among.</summary>
    private const int KnownAtMost = 1000;

    /// <summary>
    /// <paramref name="Known"/>: the INTERNALDATE of the first messages of <paramref name="Uids"/>, once new mail asked
    /// for the newest one's; every later message arrived no later than the last of them.
    /// </summary>
    private sealed record Sorted(string Folder, uint UidValidity, IList<UniqueId> Uids, UniqueId? Max)
    {
        public IReadOnlyList<DateTimeOffset> Known { get; init; } = [];
    }
}
