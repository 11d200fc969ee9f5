using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Settings;

// A user's mail preferences: one stream per user, whose id is the user's id.

/// <summary>How often the system checks the user's accounts; 0 is Manually.</summary>
public sealed record CheckIntervalChanged(Guid UserId, int Minutes, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

public sealed record PlainTextDefaultChanged(Guid UserId, bool PlainText, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

/// <summary>The charset of outgoing mail, by its IANA name.</summary>
public sealed record EncodingChanged(Guid UserId, string Charset, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

public sealed record SignaturePlacementChanged(Guid UserId, bool BeforeQuote, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

public sealed record PageSizeChanged(Guid UserId, int PageSize, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

/// <summary>A signature: its HTML is a Scriban template, already checked and sanitised when it was saved.</summary>
public sealed record SignatureCreated(Guid UserId, Guid SignatureId, string Name, string Html, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

public sealed record SignatureEdited(Guid UserId, Guid SignatureId, string Name, string Html, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

public sealed record SignatureDeleted(Guid UserId, Guid SignatureId, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

/// <summary>The signature new mail gets; null for none.</summary>
public sealed record DefaultSignatureChosen(Guid UserId, Guid? SignatureId, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

/// <summary>The folders of one account that the mail client shows; empty for all of them.</summary>
public sealed record VisibleFoldersChosen(Guid UserId, Guid AccountId, IReadOnlyList<string> Folders, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

/// <summary>The IANA time zone the user reads times in; null goes back to the browser's zone.</summary>
public sealed record TimeZoneChosen(Guid UserId, string? TimeZone, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;

/// <summary>How long Send waits before the message goes, so that Undo can take it back; 0 sends at once.</summary>
public sealed record UndoSendDelayChanged(Guid UserId, int Seconds, Guid By, DateTimeOffset At) : IAuditedEvent, IUserSettingsEvent;
