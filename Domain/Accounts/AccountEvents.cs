using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

public enum AccountKind
{
    Individual,
    Group,
}

// Every event names its account, who caused it and when. Secrets appear only as references to the
// encrypted secret document, never as text.

/// <summary>A mailbox was connected.</summary>
public sealed record AccountCreated(
    Guid AccountId,
    Guid OwnerId,
    AccountKind Kind,
    string Title,
    string Name,
    string Address,
    Guid By,
    DateTimeOffset At) : IAuditedEvent;

public sealed record AccountDetailsChanged(Guid AccountId, string Title, string Name, string Address, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record IncomingServerConfigured(
    Guid AccountId,
    IncomingProtocol Protocol,
    string Host,
    int Port,
    TransportSecurity Security,
    Guid By,
    DateTimeOffset At) : IAuditedEvent;

/// <summary>The login changed, or a new password was stored under <paramref name="PasswordSecretId"/>.</summary>
public sealed record CredentialsChanged(Guid AccountId, string Login, Guid PasswordSecretId, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record FoldersSelected(Guid AccountId, IReadOnlyList<string> Folders, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record TrashFolderSelected(Guid AccountId, string? Folder, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record SentFolderSelected(Guid AccountId, string? Folder, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>How mail leaves the account. A null <paramref name="ServerId"/> is the system's default server.</summary>
public sealed record OutgoingConfigured(
    Guid AccountId,
    string Name,
    string Address,
    string ForwardTo,
    Guid? ServerId,
    Guid By,
    DateTimeOffset At) : IAuditedEvent;

/// <summary>The user chose to trust a certificate that does not validate, by its SHA-256 fingerprint.</summary>
public sealed record CertificateTrusted(Guid AccountId, string Host, string Fingerprint, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>
/// The facts of a failed test, kept beside its English <c>Detail</c> so that any reader gets advice in their own
/// language, now or later: the stage and the kind of trouble (names of the mail code's TestStage and FailureKind),
/// the server as it was set, and <paramref name="Words"/>, what the server or the system said (for a port that
/// speaks another protocol, that protocol's name, never the banner). Holds no secret.
/// </summary>
public sealed record TestFailure(
    string Stage, string Kind, string Protocol, string Host, int Port, TransportSecurity Security, string? Login, string? Words);

/// <summary>
/// The saved settings were tested against the server. <paramref name="FailedStage"/> is null on success;
/// <paramref name="Failure"/> holds a failure's facts, and is null on success and in events recorded before it was kept.
/// </summary>
public sealed record ConnectionTested(
    Guid AccountId, bool Succeeded, string? FailedStage, string Detail, Guid By, DateTimeOffset At, TestFailure? Failure = null)
    : IAuditedEvent, IOutcomeEvent;

/// <summary>A test e-mail was handed to the outgoing server, or not; <paramref name="Failure"/> as in <see cref="ConnectionTested"/>.</summary>
public sealed record TestEmailSent(
    Guid AccountId, string To, bool Succeeded, string Detail, Guid By, DateTimeOffset At, TestFailure? Failure = null)
    : IAuditedEvent, IOutcomeEvent;

/// <summary>The account's own signature instead of the user's default; null falls back to the default.</summary>
public sealed record SignatureAttached(Guid AccountId, Guid? SignatureId, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record AccountDeleted(Guid AccountId, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>An administrator let a user use a group account: read its mail and send from it, not see its settings.</summary>
public sealed record AccessGranted(Guid AccountId, Guid UserId, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>The user no longer reaches the group account, from the next request on.</summary>
public sealed record AccessRevoked(Guid AccountId, Guid UserId, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>An administrator stopped the account being used (checked, read, sent from), saying why.</summary>
public sealed record AccountDeactivated(Guid AccountId, string Reason, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record AccountReactivated(Guid AccountId, Guid By, DateTimeOffset At) : IAuditedEvent;
