using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

public static partial class AccountDecisions
{
    /// <summary>Default ports: IMAP 993 with SSL, 143 without; POP3 995 and 110.</summary>
    public static int DefaultPort(IncomingProtocol protocol, TransportSecurity security) => (protocol, security) switch
    {
        (IncomingProtocol.Imap, TransportSecurity.SslOnConnect) => 993,
        (IncomingProtocol.Imap, _) => 143,
        (IncomingProtocol.Pop3, TransportSecurity.SslOnConnect) => 995,
        _ => 110,
    };

    /// <summary>The user trusts the certificate they were shown; trusting it again changes nothing.</summary>
    public static Decision TrustCertificate(Account? current, string? host, string? fingerprint, Guid by, DateTimeOffset at)
    {
        if (current is null or { Deleted: true })
        {
            return Decision.Reject([new Violation("", AccountViolations.Unknown)]);
        }

        var cleanHost = Clean(host).ToLowerInvariant();
        var cleanFingerprint = Clean(fingerprint).Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        if (cleanHost.Length == 0 || cleanFingerprint.Length != 64 || !cleanFingerprint.All(char.IsAsciiHexDigit))
        {
            return Decision.Reject([new Violation("Fingerprint", AccountViolations.FingerprintInvalid)]);
        }

        return current.Trusts(cleanHost, cleanFingerprint)
            ? Decision.Accept()
            : Decision.Accept(new CertificateTrusted(current.Id, cleanHost, cleanFingerprint, by, at));
    }

    /// <summary>
    /// An individual account an administrator deactivated stays until they reactivate it: deleting it would drop the
    /// deactivation with it, and its owner could then add the mailbox again.
    /// </summary>
    public static Decision DeleteAccount(Account? current, Guid by, DateTimeOffset at) => current switch
    {
        null => Decision.Reject([new Violation("", AccountViolations.Unknown)]),
        { Deleted: true } => Decision.Accept(),
        { Kind: AccountKind.Individual, IsActive: false } => Decision.Reject([new Violation("", AccountViolations.DeactivatedNotDeletable)]),
        _ => Decision.Accept(new AccountDeleted(current.Id, by, at)),
    };

    /// <summary>Lets one more user use a group account; granting twice changes nothing.</summary>
    public static Decision GrantAccess(Account? current, Guid userId, Guid by, DateTimeOffset at) => current switch
    {
        null or { Deleted: true } => Decision.Reject([new Violation("", AccountViolations.Unknown)]),
        { Kind: not AccountKind.Group } => Decision.Reject([new Violation("", AccountViolations.NotGroup)]),
        _ when current.IsGrantedTo(userId) => Decision.Accept(),
        _ => Decision.Accept(new AccessGranted(current.Id, userId, by, at)),
    };

    public static Decision RevokeAccess(Account? current, Guid userId, Guid by, DateTimeOffset at) => current switch
    {
        null or { Deleted: true } => Decision.Reject([new Violation("", AccountViolations.Unknown)]),
        _ when !current.IsGrantedTo(userId) => Decision.Accept(),
        _ => Decision.Accept(new AccessRevoked(current.Id, userId, by, at)),
    };

    public const int MaxReasonLength = 500;

    /// <summary>An administrator stops an account being used, saying why; its owner sees the reason.</summary>
    public static Decision DeactivateAccount(Account? current, string? reason, Guid by, DateTimeOffset at)
    {
        var why = Clean(reason);
        return current switch
        {
            null or { Deleted: true } => Decision.Reject([new Violation("", AccountViolations.Unknown)]),
            _ when why.Length == 0 => Decision.Reject([new Violation("Reason", AccountViolations.ReasonRequired)]),
            _ when why.Length > MaxReasonLength => Decision.Reject([new Violation("Reason", AccountViolations.ReasonTooLong)]),
            { IsActive: false } => Decision.Accept(),
            _ => Decision.Accept(new AccountDeactivated(current.Id, why, by, at)),
        };
    }

    public static Decision ReactivateAccount(Account? current, Guid by, DateTimeOffset at) => current switch
    {
        null or { Deleted: true } => Decision.Reject([new Violation("", AccountViolations.Unknown)]),
        { IsActive: true } => Decision.Accept(),
        _ => Decision.Accept(new AccountReactivated(current.Id, by, at)),
    };

    private static string Clean(string? value) => (value ?? "").Trim();
}
