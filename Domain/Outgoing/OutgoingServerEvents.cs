using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Outgoing;

/// <summary>Which button the server was added with: Gmail and Yahoo! need only the address and password.</summary>
public enum OutgoingServerKind
{
    Gmail,
    Yahoo,
    Exchange,
    Other,
}

/// <summary>
/// An SMTP server was set up. A null <paramref name="OwnerId"/> is the system's default server, which
/// administrators configure; the password is only a reference to the encrypted secret.
/// </summary>
public sealed record OutgoingServerConfigured(
    Guid ServerId,
    Guid? OwnerId,
    OutgoingServerKind Kind,
    string Host,
    int Port,
    TransportSecurity Security,
    bool UseAuthentication,
    string Login,
    Guid? PasswordSecretId,
    Guid By,
    DateTimeOffset At) : IAuditedEvent;

/// <summary>
/// An administrator chose the domains whose addresses the system's default outgoing server may send from; before
/// the first such event the configuration's <c>Outgoing:SenderDomains</c> applies.
/// </summary>
public sealed record SenderDomainsChosen(Guid ServerId, IReadOnlyList<string> Domains, Guid By, DateTimeOffset At) : IAuditedEvent;
