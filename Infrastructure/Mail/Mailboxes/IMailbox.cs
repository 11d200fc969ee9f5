using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

public sealed record FolderView(string FullName, string Name, int Depth, int Unread, int Total, string? SpecialUse);

/// <summary>
/// A row of the message list; <paramref name="Id"/> is the IMAP UID or the POP3 UIDL. <paramref name="To"/> is the first
/// recipient (a Sent folder shows it), <paramref name="Answers"/> the ids the message replies to (References, then
/// In-Reply-To) and <paramref name="Depth"/> its place under its parent in a thread view (0 in a flat list).
/// </summary>
public sealed record MessageRow(
    string Id, string From, string Subject, DateTimeOffset Date, uint Size, bool Seen, bool Flagged, bool HasAttachments, string Preview,
    string To = "", string? MessageId = null, IReadOnlyList<string>? References = null, int Depth = 0)
{
    public IReadOnlyList<string> Answers => References ?? [];
}

/// <summary>
/// One page of a folder; <paramref name="Order"/> is the order the server could give (newest first when it cannot sort);
/// <paramref name="UidValidity"/> the folder's UIDVALIDITY when the page was read (0 for POP3, which has none), so that the
/// list can ask which of its rows were imported.
/// </summary>
public sealed record MessagePage(IReadOnlyList<MessageRow> Rows, int Total, int Page, int PageCount, ListOrder? Order = null, uint UidValidity = 0);

/// <summary>What the message list shows: the folders with their counts, the folder shown and one page of it.</summary>
public sealed record Listing(IReadOnlyList<FolderView> Folders, string Folder, MessagePage Page);

public sealed record FolderCount(string Folder, int Unread, int Total);

/// <summary>A message as the server holds it, with the marks the reader sees. POP3 keeps no marks: its messages read as seen.</summary>
public sealed record StoredMessage(MimeMessage Message, bool Seen, bool Flagged);

/// <summary>
/// The messages either side of one in the order the list shows the folder (newest first unless the user sorted it
/// otherwise): <paramref name="Newer"/> the row above it, <paramref name="Older"/> the row below it; null at either end,
/// or when the message is not in the folder.
/// </summary>
public sealed record Neighbours(string? Newer, string? Older)
{
    public static Neighbours None { get; } = new(null, null);
}

/// <summary>The marks a user sets on a message.</summary>
public enum MailFlag
{
    Seen,
    Flagged,
}

/// <summary>
/// A signed-in mailbox, whatever the protocol: what the mail client, the checker and the tester need. What only one
/// protocol can do is on <see cref="IImapMailbox"/> or <see cref="IPop3Mailbox"/>, reached through <see cref="Match{T}"/>,
/// so a caller states what it does for each protocol and never downcasts a client.
/// </summary>
public interface IMailbox : IMailboxSearch
{
    /// <summary>Whether the connection under it is still open (a pool that stops logs out of it).</summary>
    bool IsConnected { get; }

    /// <summary>
    /// The folders the user chose to see (all when none), with their counts, and one page of the chosen folder, newest
    /// first (the first visible folder when none is chosen). POP3 has the inbox alone, with no read marks to count.
    /// </summary>
    Task<Listing> ListingAsync(IReadOnlyCollection<string> visible, string? folder, int page, int pageSize, CancellationToken cancellationToken) =>
        ListingAsync(visible, folder, page, pageSize, ListOrder.Newest, cancellationToken);

    /// <summary>
    /// The same, the page in the order asked for: IMAP SORT (RFC 5256) for a column other than the date and THREAD=REFERENCES
    /// for threads where the server has them; the page's <see cref="MessagePage.Order"/> says what was done instead where not.
    /// </summary>
    Task<Listing> ListingAsync(IReadOnlyCollection<string> visible, string? folder, int page, int pageSize, ListOrder order, CancellationToken cancellationToken);

    /// <summary>The folders the user chose to see (all when none), with unread and total counts.</summary>
    Task<IReadOnlyList<FolderView>> FoldersAsync(IReadOnlyCollection<string> visible, CancellationToken cancellationToken);

    /// <summary>Unread and total for each folder named; POP3 counts its one mailbox, whatever is named.</summary>
    Task<IReadOnlyList<FolderCount>> CountAsync(IReadOnlyCollection<string> folders, CancellationToken cancellationToken);

    /// <summary>One whole message, read without marking it read; null when it is no longer there.</summary>
    Task<StoredMessage?> MessageAsync(string folder, string id, CancellationToken cancellationToken);

    /// <summary>The messages beside <paramref name="id"/> in the list's arrival order, for previous and next in the letter page.</summary>
    Task<Neighbours> NeighboursAsync(string folder, string id, CancellationToken cancellationToken) =>
        NeighboursAsync(folder, id, ListOrder.Newest, 50, cancellationToken);

    /// <summary>
    /// The messages beside <paramref name="id"/> in the order the list shows: the same column and direction, and in a
    /// thread view the same arrangement of the page of <paramref name="pageSize"/> it is on. POP3 has one order only.
    /// </summary>
    Task<Neighbours> NeighboursAsync(string folder, string id, ListOrder order, int pageSize, CancellationToken cancellationToken);

    /// <summary>What the protocol can do beyond the common part: the caller says what it does for each.</summary>
    T Match<T>(Func<IImapMailbox, T> imap, Func<IPop3Mailbox, T> pop3);
}
