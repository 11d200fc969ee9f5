using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>An IMAP mailbox over one signed-in connection: the message list, messages, flags and moves (this file), folders and sync (the others).</summary>
/// <param name="listings">What earlier pages of the account fetched (<paramref name="account"/> names the account there); none for a connection test.</param>
internal sealed partial class ImapMailbox(ImapClient client, ParserOptions parsing, ListingCache? listings = null, object? account = null) : IImapMailbox
{
    public bool IsConnected => client.IsConnected;

    public T Match<T>(Func<IImapMailbox, T> imap, Func<IPop3Mailbox, T> pop3) => imap(this);

    /// <summary>
    /// Once a connection is signed in, before any folder is selected: QRESYNC where the server has it, so that changes
    /// since a mod-sequence can name the messages that vanished.
    /// </summary>
    public static async Task PrepareAsync(ImapClient client, CancellationToken cancellationToken)
    {
        if (client.Capabilities.HasFlag(ImapCapabilities.QuickResync))
        {
            await client.EnableQuickResyncAsync(cancellationToken);
        }
    }

    public async Task<Listing> ListingAsync(
        IReadOnlyCollection<string> visible, string? folder, int page, int pageSize, ListOrder order, CancellationToken cancellationToken)
    {
        // The page first when its folder is known (the inbox comes first in the list): the folder list's STATUS
        // then reads the folder the page opened, where asking first makes the server open a large folder twice.
        var known = folder ?? (visible.Count == 0 || visible.Contains("INBOX") ? "INBOX" : null);
        if (known is not null)
        {
            var shown = await PageAsync(known, page, pageSize, order, cancellationToken);
            return new Listing(await FoldersAsync(visible, cancellationToken), known, shown);
        }

        var folders = await FoldersAsync(visible, cancellationToken);
        var chosen = folders.FirstOrDefault()?.FullName ?? "INBOX";
        return new Listing(folders, chosen, await PageAsync(chosen, page, pageSize, order, cancellationToken));
    }

    /// <summary>
    /// One page, newest first: the UIDs in arrival order (see <see cref="NewestFirst"/>), then envelope, flags, size
    /// and preview for that page's UIDs alone.
    /// </summary>
    private async Task<MessagePage> PageAsync(string folderName, int page, int pageSize, ListOrder order, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        // A kept connection may have the folder open still; selecting it again would cost a large folder as much as the
        // page itself, and NewestFirst asks the server whether the folder changed.
        if (!folder.IsOpen)
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        }

        var (uids, applied) = await OrderedUidsAsync(folder, order, cancellationToken);
        var pageCount = Math.Max(1, (uids.Count + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pageCount);
        var slice = uids.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        if (slice.Count == 0)
        {
            return new MessagePage([], uids.Count, page, pageCount, applied, folder.UidValidity);
        }

        var rows = await RowsAsync(folder, slice, cancellationToken);
        MessageRow[] ordered = [.. slice.Where(uid => rows.ContainsKey(uid.Id)).Select(uid => rows[uid.Id])];
        return new MessagePage(applied.Threaded ? await ThreadedAsync(folder, ordered, cancellationToken) : ordered, uids.Count, page, pageCount, applied, folder.UidValidity);
    }

    /// <summary>
    /// The rows of the given UIDs: in full (envelope, structure, preview) for those no earlier page fetched under the
    /// folder's UIDVALIDITY, flags alone for the rest, and of those only the ones changed since (CONDSTORE CHANGEDSINCE)
    /// where the server offers it. A UID that no longer exists has no row.
    /// </summary>
    private async Task<Dictionary<uint, MessageRow>> RowsAsync(IMailFolder folder, IList<UniqueId> slice, CancellationToken cancellationToken)
    {
        var condStore = client.Capabilities.HasFlag(ImapCapabilities.CondStore);
        var kept = listings is not null && account is not null && folder.UidValidity != 0 ? listings.Folder(account, folder.FullName, folder.UidValidity) : null;
        var known = kept?.Find(slice.Select(u => u.Id)) ?? [];
        var rows = new Dictionary<uint, MessageRow>(slice.Count);
        var fetched = new List<CachedRow>();

        var missing = slice.Where(uid => !known.ContainsKey(uid.Id)).ToList();
        if (missing.Count > 0)
        {
            var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.Size
                | MessageSummaryItems.InternalDate | MessageSummaryItems.BodyStructure | MessageSummaryItems.PreviewText
                | (condStore ? MessageSummaryItems.ModSeq : MessageSummaryItems.None);
            // From and Subject as written, besides the envelope: MailKit drops an envelope address whose local part needs
            // quoting ("<x>"@host), which left the row without a sender, and reads 8-bit header text as Latin-1.
            var request = new FetchRequest(items) { Headers = new HeaderSet([HeaderId.From, HeaderId.Subject, HeaderId.References]) };
            foreach (var s in await folder.FetchAsync(missing, request, cancellationToken))
            {
                var row = new MessageRow(
                    s.UniqueId.Id.ToString(CultureInfo.InvariantCulture),
                    MailHeaders.SenderOf(MailHeaders.From(s.Headers, parsing) ?? s.Envelope?.From),
                    MailHeaders.Subject(s.Headers, parsing) ?? s.Envelope?.Subject ?? "",
                    s.Envelope?.Date ?? s.InternalDate ?? DateTimeOffset.MinValue,
                    s.Size ?? 0,
                    s.Flags?.HasFlag(MessageFlags.Seen) == true,
                    s.Flags?.HasFlag(MessageFlags.Flagged) == true,
                    s.Attachments.Any(),
                    await PreviewAsync(folder, s, cancellationToken),
                    MailHeaders.SenderOf(s.Envelope?.To),
                    s.Envelope?.MessageId?.Trim('<', '>'),
                    Answers(s));
                rows[s.UniqueId.Id] = row;
                fetched.Add(new CachedRow(s.UniqueId.Id, row, s.ModSeq ?? 0));
            }
        }

        if (known.Count > 0)
        {
            var uids = known.Keys.Select(uid => new UniqueId(uid)).ToList();
            // Every known row has its mod-sequence: only the messages changed since the lowest of them answer.
            var since = condStore && known.Values.All(r => r.ModSeq > 0) ? known.Values.Min(r => r.ModSeq) : (ulong?)null;
            var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | (condStore ? MessageSummaryItems.ModSeq : MessageSummaryItems.None))
            {
                ChangedSince = since,
            };
            var changed = (await folder.FetchAsync(uids, request, cancellationToken)).ToDictionary(s => s.UniqueId.Id);
            if (since is null)
            {
                // Without CHANGEDSINCE the server answers for every message that still exists: the others went meanwhile.
                var gone = known.Keys.Where(uid => !changed.ContainsKey(uid)).ToArray();
                kept?.Forget(gone);
                foreach (var uid in gone)
                {
                    known.Remove(uid);
                }
            }

            foreach (var (uid, cached) in known)
            {
                if (changed.TryGetValue(uid, out var s))
                {
                    var flags = s.Flags ?? MessageFlags.None;
                    var row = cached.Row with { Seen = flags.HasFlag(MessageFlags.Seen), Flagged = flags.HasFlag(MessageFlags.Flagged) };
                    rows[uid] = row;
                    fetched.Add(new CachedRow(uid, row, s.ModSeq ?? 0));
                }
                else
                {
                    rows[uid] = cached.Row;
                }
            }
        }

        kept?.Keep(fetched);
        return rows;
    }

    /// <summary>The whole message, fetched with BODY.PEEK so that opening it does not mark it read, and its flags.</summary>
    public async Task<StoredMessage?> MessageAsync(string folderName, string id, CancellationToken cancellationToken)
    {
        // Anything but a UID names no message.
        if (!uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number == 0)
        {
            return null;
        }

        var uid = new UniqueId(number);
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var summary = (await folder.FetchAsync([uid], MessageSummaryItems.Flags, cancellationToken)).FirstOrDefault();
        if (summary is null)
        {
            return null;
        }

        try
        {
            using var stream = await folder.GetStreamAsync(uid, cancellationToken);
            var message = await MimeMessage.LoadAsync(parsing, stream, cancellationToken);
            var flags = summary.Flags ?? MessageFlags.None;
            return new StoredMessage(message, flags.HasFlag(MessageFlags.Seen), flags.HasFlag(MessageFlags.Flagged));
        }
        catch (MessageNotFoundException)
        {
            return null;
        }
    }

    public async Task SetFlagAsync(string folderName, uint uid, MailFlag flag, bool set, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var which = flag == MailFlag.Seen ? MessageFlags.Seen : MessageFlags.Flagged;
        var request = new StoreFlagsRequest(set ? StoreAction.Add : StoreAction.Remove, which) { Silent = true };
        await folder.StoreAsync(new UniqueId(uid), request, cancellationToken);
    }

    public async Task MoveAsync(string folderName, uint uid, string target, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        var destination = await client.GetFolderAsync(target, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        await folder.MoveToAsync(new UniqueId(uid), destination, cancellationToken);
    }

    public async Task DeleteAsync(string folderName, uint uid, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        await folder.StoreAsync(new UniqueId(uid), new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
        if (!client.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            throw new NotSupportedException("The server cannot expunge one message alone (no UIDPLUS): it is marked deleted, not removed.");
        }

        await folder.ExpungeAsync([new UniqueId(uid)], cancellationToken);
    }
}
