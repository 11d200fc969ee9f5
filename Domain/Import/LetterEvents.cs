namespace MailAccounts.Domain.Import;

/// <summary>
/// What the importer records, on a stream per letter and a stream per quarantined message. Each says when it
/// happened; they are not settings changes, so the settings audit does not list them. Bodies and attachments are
/// never in an event: the raw message lies in the database once, under <see cref="LetterImported.RawSha256"/>.
/// </summary>
public interface IImportEvent
{
    DateTimeOffset At { get; }
}

/// <summary>
/// Where a letter was found: an account's folder (IMAP: the UID under the folder's UIDVALIDITY) or its POP3 inbox
/// (the UIDL, with <paramref name="UidValidity"/> 0).
/// </summary>
public sealed record LetterPlace(Guid AccountId, string Folder, uint UidValidity, string Uid);

/// <summary>An attachment: its content lies in the database once per <paramref name="Sha256"/>.</summary>
public sealed record LetterAttachment(string Name, string ContentType, long Size, string Sha256);

/// <summary>The header fields a list, a thread and search need, decoded.</summary>
public sealed record LetterHeaders(
    string? MessageId,
    string Subject,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    DateTimeOffset? Date,
    string? InReplyTo,
    IReadOnlyList<string> References);

/// <summary>
/// A letter came into the system. <paramref name="TooLarge"/>: above the size limit, only its header and structure
/// were kept, and it is to be opened on the server. <paramref name="By"/> is the system for an import on a check, the
/// user for one by hand.
/// </summary>
public sealed record LetterImported(
    Guid LetterId,
    string ContentHash,
    string RawSha256,
    long Size,
    LetterHeaders Headers,
    IReadOnlyList<LetterAttachment> Attachments,
    bool TooLarge,
    LetterPlace Place,
    Guid By,
    DateTimeOffset At) : IImportEvent;

/// <summary>A letter already in the system was found in one more place (another account, folder, or a folder whose UIDVALIDITY changed).</summary>
public sealed record LetterFoundAgain(Guid LetterId, LetterPlace Place, DateTimeOffset At) : IImportEvent;

/// <summary>A user deleted the letter in the system: it leaves every list, and it is never imported again.</summary>
public sealed record LetterDeleted(Guid LetterId, Guid By, DateTimeOffset At) : IImportEvent;

/// <summary>A message could not be parsed or stored; <paramref name="Attempts"/> counts the tries so far.</summary>
public sealed record MessageQuarantined(Guid QuarantineId, LetterPlace Place, string Reason, int Attempts, DateTimeOffset At) : IImportEvent;

/// <summary>A quarantined message was imported at a later try.</summary>
public sealed record QuarantinedMessageImported(Guid QuarantineId, Guid LetterId, DateTimeOffset At) : IImportEvent;

/// <summary>A user pressed Retry on a message that could not be imported: the next run tries it again, however often it failed.</summary>
public sealed record QuarantineRetryAsked(Guid QuarantineId, Guid By, DateTimeOffset At) : IImportEvent;
