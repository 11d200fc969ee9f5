using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>What a folder is now: <paramref name="HighestModSeq"/> is null on a server without CONDSTORE.</summary>
public sealed record FolderState(string Folder, uint UidValidity, uint? UidNext, ulong? HighestModSeq, int Count);

/// <summary>Which part of each message a batch fetch brings.</summary>
public enum FetchParts
{
    /// <summary>UID, flags, internal date and size.</summary>
    Summary,

    /// <summary>The summary and the header fields.</summary>
    Headers,

    /// <summary>The summary and the whole MIME message.</summary>
    Full,
}

/// <summary>
/// One message of a batch. <paramref name="Headers"/> is set for <see cref="FetchParts.Headers"/> and
/// <see cref="FetchParts.Full"/>, <paramref name="Message"/> for <see cref="FetchParts.Full"/> alone.
/// </summary>
public sealed record FetchedMessage(
    uint Uid, bool Seen, bool Flagged, bool Deleted, DateTimeOffset? InternalDate, uint Size, HeaderList? Headers, MimeMessage? Message);

/// <summary>A message whose flags changed since a mod-sequence, with its new flags and mod-sequence.</summary>
public sealed record ChangedMessage(uint Uid, bool Seen, bool Flagged, bool Deleted, ulong? ModSeq);

/// <summary>How far a server can say what changed in a folder.</summary>
public enum ChangeSupport
{
    /// <summary>Changed flags and expunged UIDs (QRESYNC).</summary>
    FlagsAndVanished,

    /// <summary>Changed flags alone (CONDSTORE without QRESYNC): expunged messages must be found by comparing UIDs.</summary>
    FlagsOnly,

    /// <summary>Neither: the caller must read the folder again.</summary>
    NotSupported,

    /// <summary>The folder's UIDVALIDITY is not the one given: every UID the caller knows is void, read the folder again.</summary>
    UidValidityChanged,
}

/// <summary>What changed in a folder since a mod-sequence; <paramref name="State"/> is the folder as it is now.</summary>
public sealed record FolderChanges(ChangeSupport Support, IReadOnlyList<ChangedMessage> Changed, IReadOnlyList<uint> Vanished, FolderState State);

/// <summary>A server-side search; every field given must match (text: contained, case-insensitive as the server compares).</summary>
public sealed record MailSearch(string? Subject = null, string? From = null, string? Body = null, string? Text = null, string? MessageId = null);

/// <summary>
/// An IMAP mailbox: folders, flags, moves, and the operations a synchroniser needs (batches by UID range, folder state,
/// changes since a mod-sequence, server-side search). Reading never sets \Seen: folders are opened read-only for reads
/// and bodies are fetched with BODY.PEEK.
/// </summary>
public interface IImapMailbox : IMailbox
{
    /// <summary>Every folder of the personal namespaces, the inbox first, with what the server says each is for.</summary>
    Task<IReadOnlyList<ServerFolder>> ServerFoldersAsync(CancellationToken cancellationToken);

    /// <summary>The quota of the inbox's quota root (GETQUOTAROOT); null when the server has no QUOTA, answers NO or sets no limit.</summary>
    Task<MailboxQuota?> QuotaAsync(CancellationToken cancellationToken);

    Task SetFlagAsync(string folder, uint uid, MailFlag flag, bool set, CancellationToken cancellationToken);

    /// <summary>Moves one message to another folder (MOVE where the server has it, otherwise COPY and expunge).</summary>
    Task MoveAsync(string folder, uint uid, string target, CancellationToken cancellationToken);

    /// <summary>Deletes one message for good: marked \Deleted and expunged by its UID alone (UIDPLUS), never other marked mail.</summary>
    Task DeleteAsync(string folder, uint uid, CancellationToken cancellationToken);

    /// <summary>Marks many messages at once: one UID STORE on the set.</summary>
    Task SetFlagsAsync(string folder, IReadOnlyList<uint> uids, MailFlag flag, bool set, CancellationToken cancellationToken);

    /// <summary>Moves many messages at once (one UID MOVE on the set); the new UIDs where the server says them (UIDPLUS).</summary>
    Task<Moved> MoveAsync(string folder, IReadOnlyList<uint> uids, string target, CancellationToken cancellationToken);

    /// <summary>Deletes many messages for good: one STORE \Deleted and one UID EXPUNGE of exactly that set (UIDPLUS).</summary>
    Task DeleteAsync(string folder, IReadOnlyList<uint> uids, CancellationToken cancellationToken);

    Task<FolderState> StateAsync(string folder, CancellationToken cancellationToken);

    /// <summary>The messages whose UIDs lie in [<paramref name="first"/>, <paramref name="last"/>], oldest first, at most <paramref name="batchSize"/> a batch.</summary>
    IAsyncEnumerable<IReadOnlyList<FetchedMessage>> FetchAsync(
        string folder, uint first, uint last, FetchParts parts, int batchSize, CancellationToken cancellationToken);

    /// <summary>What changed since <paramref name="modSeq"/> in a folder last seen with <paramref name="uidValidity"/>.</summary>
    Task<FolderChanges> ChangesSinceAsync(string folder, uint uidValidity, ulong modSeq, CancellationToken cancellationToken);

    /// <summary>
    /// The UIDs of a folder from <paramref name="first"/> on (to <paramref name="last"/> when given), of mail that arrived
    /// on or after <paramref name="since"/> and before <paramref name="before"/> where given (internal dates, as SEARCH
    /// SINCE and BEFORE compare them), ascending. Never a UID below <paramref name="first"/>, although <c>n:*</c> names the
    /// last message of a folder whose UIDs are all below n.
    /// </summary>
    Task<IReadOnlyList<uint>> UidsAsync(string folder, uint first, uint? last, DateOnly? since, DateOnly? before, CancellationToken cancellationToken);

    /// <summary>
    /// The raw bytes of each message named, exactly as the server holds them (one UID FETCH BODY.PEEK[] for the set, so
    /// nothing is marked read; a message larger than a few megabytes in ranges, into a temporary file, after the others),
    /// handed to <paramref name="each"/> one message at a time, in the order the server sends them. A UID that no longer
    /// exists is skipped. The stream is valid only until <paramref name="each"/> returns.
    /// </summary>
    Task FetchRawAsync(string folder, IReadOnlyList<uint> uids, Func<uint, Stream, CancellationToken, Task> each, CancellationToken cancellationToken);

    /// <summary>UID SEARCH on the server (CHARSET UTF-8 when the words are not ASCII); the UIDs in ascending order.</summary>
    Task<IReadOnlyList<uint>> SearchAsync(string folder, MailSearch search, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a sent message, read, to <paramref name="folder"/> (or the server's special-use Sent folder when none is
    /// chosen), unless a copy with its Message-ID is there already. Null when filed; otherwise why not.
    /// </summary>
    Task<string?> FileSentCopyAsync(string? folder, MimeMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Watches one folder until <paramref name="stop"/>: IDLE, renewed every <paramref name="renewIdle"/>, or a NOOP every
    /// <paramref name="poll"/> on a server without IDLE; each change the server reports goes to <paramref name="changed"/>.
    /// Returns when stopped (IDLE ended with DONE), throws when the connection fails.
    /// </summary>
    Task WatchAsync(string folder, Action<FolderChange> changed, TimeSpan renewIdle, TimeSpan poll, CancellationToken stop);
}

/// <summary>What a watched folder reports: mail arrived, or marks and counts changed (read elsewhere, deleted).</summary>
public enum FolderChange
{
    NewMessages,
    CountsChanged,

    /// <summary>Not a change: the folder is open and the watch has begun (IDLE or polling); later changes will be reported.</summary>
    Watching,
}

/// <summary>A POP3 mailbox: one inbox, no flags and no folders, messages named by their UIDL.</summary>
public interface IPop3Mailbox : IMailbox
{
    /// <summary>The UIDL of every message, oldest first.</summary>
    Task<IReadOnlyList<string>> UidsAsync(CancellationToken cancellationToken);

    /// <summary>The headers of one message (TOP with no body lines); null when it is no longer there.</summary>
    Task<HeaderList?> HeadersAsync(string uid, CancellationToken cancellationToken);

    /// <summary>
    /// The raw bytes of one message as the server holds it (RETR, which leaves it on the server), handed to
    /// <paramref name="read"/>; false when it is no longer there.
    /// </summary>
    Task<bool> RawAsync(string uid, Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken);
}
