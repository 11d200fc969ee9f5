using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Users;

public enum UserRole
{
    User,
    Administrator,
}

/// <summary>A person got a sign-in. The password hash lives in its own document, never in an event.</summary>
public sealed record UserRegistered(Guid UserId, string Login, string DisplayName, UserRole Role, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>An administrator set a new password for the user.</summary>
public sealed record UserPasswordReset(Guid UserId, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record UserDeactivated(Guid UserId, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record UserReactivated(Guid UserId, Guid By, DateTimeOffset At) : IAuditedEvent;
