using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

/// <summary>
/// What signing in with a provider gave the account form: the registered provider, the mailbox the provider signed in
/// (from its ID token, or the address typed where the provider names none), the scopes it granted, and the reference to
/// the encrypted token set in the vault. Never a token.
/// </summary>
public sealed record OAuthGrant(Guid ProviderId, string Mailbox, string Scopes, Guid TokenSecretId);

/// <summary>
/// An account that signs in with OAuth instead of a password: IMAP, POP3 and SMTP take the access token stored under
/// <paramref name="TokenSecretId"/>. <paramref name="LostAt"/> is set once the provider refused to refresh it (the grant
/// was revoked or expired, or the password changed): the account then needs reconnecting, and nothing signs in with it.
/// </summary>
public sealed record Authorisation(Guid ProviderId, string Mailbox, string Scopes, Guid TokenSecretId, DateTimeOffset? LostAt = null, string? LostReason = null)
{
    public bool NeedsReconnecting => LostAt is not null;
}

/// <summary>The account signs in with a provider from now on: the first time, or again with another grant from the account form.</summary>
public sealed record AccountAuthorised(
    Guid AccountId, Guid ProviderId, string Mailbox, string Scopes, Guid TokenSecretId, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>The user signed in with the provider again after the account lost its authorisation (Reconnect).</summary>
public sealed record AccountReconnected(
    Guid AccountId, Guid ProviderId, string Mailbox, string Scopes, Guid TokenSecretId, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>
/// The provider refused to refresh the account's token: <paramref name="Reason"/> is its error code and words (never a
/// token). The account needs reconnecting; checks and sends wait for it.
/// </summary>
public sealed record AuthorisationLost(Guid AccountId, Guid ProviderId, string Reason, Guid By, DateTimeOffset At) : IAuditedEvent;

public static partial class AccountDecisions
{
    public const int MaxReasonLengthOfProvider = 500;

    /// <summary>
    /// Reconnect: the user signed in with the account's provider again. Only the same mailbox may reconnect it: a grant
    /// for another mailbox would silently turn the account into someone else's.
    /// </summary>
    public static Decision Reconnect(Account? current, OAuthGrant grant, Guid by, DateTimeOffset at) => current switch
    {
        null or { Deleted: true } => Decision.Reject([new Violation("", AccountViolations.Unknown)]),
        { Authorisation: null } => Decision.Reject([new Violation("", AccountViolations.NotAuthorised)]),
        { Authorisation: { } authorisation } when authorisation.ProviderId != grant.ProviderId
            || !string.Equals(authorisation.Mailbox, grant.Mailbox, StringComparison.OrdinalIgnoreCase) =>
            Decision.Reject([new Violation("", AccountViolations.ReconnectedAsAnother)]),
        _ => Decision.Accept(new AccountReconnected(current.Id, grant.ProviderId, current.Authorisation!.Mailbox, grant.Scopes, grant.TokenSecretId, by, at)),
    };

    /// <summary>The provider refused the refresh: recorded once, until the account is reconnected.</summary>
    public static Decision LoseAuthorisation(Account? current, string reason, DateTimeOffset at) => current switch
    {
        { Deleted: false, Authorisation: { NeedsReconnecting: false } authorisation } => Decision.Accept(new AuthorisationLost(
            current.Id, authorisation.ProviderId, reason.Length > MaxReasonLengthOfProvider ? reason[..MaxReasonLengthOfProvider] : reason, Actors.System, at)),
        _ => Decision.Accept(),
    };
}
