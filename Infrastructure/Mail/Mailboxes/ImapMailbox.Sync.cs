using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>What a synchroniser needs: folder state, batches by UID range, changes since a mod-sequence, server-side search.</summary>
internal sealed partial class ImapMailbox
{
    public async Task<FolderState> StateAsync(string folderName, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        if (folder.IsOpen)
        {
            // What a selected folder's STATUS says is the session's view of it; the folder may even have been deleted and
            // made again since (a new UIDVALIDITY). Closed first (UNSELECT: nothing is expunged), the answer is the server's.
            await folder.CloseAsync(false, cancellationToken);
        }

        var items = StatusItems.UidValidity | StatusItems.UidNext | StatusItems.Count
            | (client.Capabilities.HasFlag(ImapCapabilities.CondStore) ? StatusItems.HighestModSeq : StatusItems.None);
        await folder.StatusAsync(items, cancellationToken);
        return StateOf(folder);
    }

    public async IAsyncEnumerable<IReadOnlyList<FetchedMessage>> FetchAsync(
        string folderName, uint first, uint last, FetchParts parts, int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var folder = await OpenForReadingAsync(folderName, cancellationToken);
        var uids = await folder.SearchAsync(SearchQuery.Uids(new UniqueIdRange(new UniqueId(Math.Max(1, first)), new UniqueId(Math.Max(1, last)))), cancellationToken);
        var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size;
        // HEADER and BODY[] are fetched with BODY.PEEK: a synchroniser must never mark mail read.
        var request = new FetchRequest(items) { Headers = parts == FetchParts.Summary ? null : HeaderSet.All };
        foreach (var batch in uids.Order().Chunk(batchSize))
        {
            var summaries = await folder.FetchAsync(batch, request, cancellationToken);
            var messages = new List<FetchedMessage>(summaries.Count);
            foreach (var s in summaries.OrderBy(s => s.UniqueId))
            {
                var message = parts == FetchParts.Full ? await folder.GetMessageAsync(s.UniqueId, cancellationToken) : null;
                var flags = s.Flags ?? MessageFlags.None;
                messages.Add(new FetchedMessage(s.UniqueId.Id, flags.HasFlag(MessageFlags.Seen), flags.HasFlag(MessageFlags.Flagged),
                    flags.HasFlag(MessageFlags.Deleted), s.InternalDate, s.Size ?? 0, s.Headers, message));
            }

            yield return messages;
        }
    }

    public async Task<FolderChanges> ChangesSinceAsync(string folderName, uint uidValidity, ulong modSeq, CancellationToken cancellationToken)
    {
        var folder = await OpenForReadingAsync(folderName, cancellationToken);
        var state = StateOf(folder);
        if (folder.UidValidity != uidValidity)
        {
            return new FolderChanges(ChangeSupport.UidValidityChanged, [], [], state);
        }

        if (!client.Capabilities.HasFlag(ImapCapabilities.CondStore) || folder.HighestModSeq == 0)
        {
            return new FolderChanges(ChangeSupport.NotSupported, [], [], state);
        }

        var vanished = new List<uint>();
        void Vanished(object? sender, MessagesVanishedEventArgs e) => vanished.AddRange(e.UniqueIds.Select(u => u.Id));
        folder.MessagesVanished += Vanished;
        try
        {
            // With QRESYNC enabled this is UID FETCH 1:* (FLAGS) (CHANGEDSINCE n VANISHED): the server names the expunged UIDs too.
            var changed = await folder.FetchAsync(UniqueIdRange.All, modSeq, MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.ModSeq,
                cancellationToken);
            var support = client.Capabilities.HasFlag(ImapCapabilities.QuickResync) ? ChangeSupport.FlagsAndVanished : ChangeSupport.FlagsOnly;
            var messages = changed
                .Select(s => (s, flags: s.Flags ?? MessageFlags.None))
                .Select(p => new ChangedMessage(p.s.UniqueId.Id, p.flags.HasFlag(MessageFlags.Seen), p.flags.HasFlag(MessageFlags.Flagged),
                    p.flags.HasFlag(MessageFlags.Deleted), p.s.ModSeq))
                .OrderBy(m => m.Uid)
                .ToArray();
            return new FolderChanges(support, messages, [.. vanished.Distinct().Order()], StateOf(folder));
        }
        finally
        {
            folder.MessagesVanished -= Vanished;
        }
    }

    public async Task<IReadOnlyList<uint>> UidsAsync(
        string folderName, uint first, uint? last, DateOnly? since, DateOnly? before, CancellationToken cancellationToken)
    {
        first = Math.Max(1, first);
        if (last is { } end && end < first)
        {
            return [];
        }

        var folder = await OpenForReadingAsync(folderName, cancellationToken);
        SearchQuery query = SearchQuery.Uids(new UniqueIdRange(new UniqueId(first), last is { } l ? new UniqueId(l) : UniqueId.MaxValue));
        if (since is { } from)
        {
            // SINCE: arrived on that day or later.
            query = query.And(SearchQuery.DeliveredAfter(from.ToDateTime(TimeOnly.MinValue)));
        }

        if (before is { } until)
        {
            // BEFORE: arrived before that day.
            query = query.And(SearchQuery.DeliveredBefore(until.ToDateTime(TimeOnly.MinValue)));
        }

        var found = await folder.SearchAsync(query, cancellationToken);
        // "n:*" is "the highest UID to n": a folder whose UIDs all lie below n still answers its last message.
        return [.. found.Select(u => u.Id).Where(u => u >= first && (last is null || u <= last)).Order()];
    }

    public async Task FetchRawAsync(
        string folderName, IReadOnlyList<uint> uids, Func<uint, Stream, CancellationToken, Task> each, CancellationToken cancellationToken)
    {
        if (uids.Count == 0)
        {
            return;
        }

        var folder = await OpenForReadingAsync(folderName, cancellationToken);
        if (folder is not IImapFolder imap)
        {
            throw new NotSupportedException("An IMAP folder is expected.");
        }

        // MailKit reads a literal whole before it hands it on: a message larger than a range is fetched in ranges into a
        // temporary file instead, so that a 50 MB attachment is never in memory whole. Their sizes first (RFC822.SIZE).
        var all = uids.Select(u => new UniqueId(u)).ToList();
        var large = (await imap.FetchAsync(all, new FetchRequest(MessageSummaryItems.Size), cancellationToken))
            .Where(m => m.Size > RangeBytes).Select(m => m.UniqueId).ToHashSet();
        var whole = all.Where(u => !large.Contains(u)).ToList();
        if (whole.Count > 0)
        {
            // UID FETCH set (BODY.PEEK[]): one command for them, each literal handed on as it arrives.
            await imap.GetStreamsAsync(whole, (_, _, uid, stream, token) => each(uid.Id, stream, token), cancellationToken);
        }

        foreach (var uid in all.Where(large.Contains))
        {
            await using var file = new FileStream(Path.Combine(Path.GetTempPath(), "mailaccounts-fetch-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            if (await RangesAsync(imap, uid, file, cancellationToken))
            {
                file.Position = 0;
                await each(uid.Id, file, cancellationToken);
            }
        }
    }

    /// <summary>A message is fetched in ranges of this many bytes (BODY.PEEK[]&lt;offset.count&gt;) when it is larger.</summary>
    public const int RangeBytes = 4 * 1024 * 1024;

    /// <summary>The message's bytes, a range at a time, into <paramref name="into"/>; false when it is gone from the folder.</summary>
    private static async Task<bool> RangesAsync(IImapFolder folder, UniqueId uid, Stream into, CancellationToken cancellationToken)
    {
        for (var offset = 0; ; offset += RangeBytes)
        {
            try
            {
                await using var range = await folder.GetStreamAsync(uid, offset, RangeBytes, cancellationToken);
                await range.CopyToAsync(into, cancellationToken);
                if (range.Length < RangeBytes)
                {
                    return true;
                }
            }
            catch (MessageNotFoundException)
            {
                return false;
            }
        }
    }

    public async Task<IReadOnlyList<uint>> SearchAsync(string folderName, MailSearch search, CancellationToken cancellationToken)
    {
        var terms = new (string? Value, Func<string, SearchQuery> Query)[]
        {
            (search.Subject, SearchQuery.SubjectContains), (search.From, SearchQuery.FromContains), (search.Body, SearchQuery.BodyContains),
            (search.Text, v => SearchQuery.MessageContains(v)), (search.MessageId, v => SearchQuery.HeaderContains("Message-ID", v)),
        }.Where(t => !string.IsNullOrEmpty(t.Value)).Select(t => t.Query(t.Value!)).ToArray();
        var query = terms.Length == 0 ? SearchQuery.All : terms.Aggregate(SearchQuery.And);
        var folder = await OpenForReadingAsync(folderName, cancellationToken);
        // MailKit sends CHARSET UTF-8 when a term is not ASCII (or none, where the server accepts UTF-8 outright).
        var found = await folder.SearchAsync(query, cancellationToken);
        return [.. found.Select(u => u.Id).Order()];
    }

    /// <summary>
    /// A STATUS of the folder this connection has selected answers what the session last saw of it: mail delivered since
    /// (by another session, or by the delivery agent) is not in it until the session syncs. A kept connection that
    /// selected the folder for an earlier request syncs it first, with a NOOP.
    /// </summary>
    private async Task SyncIfSelectedAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        if (folder.IsOpen)
        {
            await client.NoOpAsync(cancellationToken);
        }
    }

    /// <summary>The folder, selected: read-only unless this connection already has it open.</summary>
    private async Task<IMailFolder> OpenForReadingAsync(string folderName, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        if (!folder.IsOpen)
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        }

        return folder;
    }

    private static FolderState StateOf(IMailFolder folder) =>
        new(folder.FullName, folder.UidValidity, folder.UidNext?.Id, folder.HighestModSeq == 0 ? null : folder.HighestModSeq, folder.Count);
}
