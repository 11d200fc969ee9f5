using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

/// <summary>What the account form holds when the user presses Done.</summary>
/// <param name="NewPasswordSecretId">Set when a password was typed: the reference under which it will be stored. Null keeps the old one.</param>
/// <param name="OutgoingServerId">Null for the system's default server.</param>
public sealed record AccountForm(
    string? Title,
    string? Name,
    string? Address,
    IncomingProtocol Protocol = IncomingProtocol.Imap,
    string? Host = null,
    int? Port = null,
    TransportSecurity Security = TransportSecurity.SslOnConnect,
    string? Login = null,
    Guid? NewPasswordSecretId = null,
    IReadOnlyList<string>? MonitoredFolders = null,
    string? TrashFolder = null,
    string? SentFolder = null,
    string? OutgoingName = null,
    string? OutgoingAddress = null,
    string? ForwardTo = null,
    Guid? OutgoingServerId = null,
    Guid? SignatureId = null,
    AccountKind Kind = AccountKind.Individual);

/// <summary>What the decision needs to know beyond the account itself.</summary>
/// <param name="OwnerTitles">Titles of the owner's other accounts: a title is unique among them.</param>
/// <param name="OutgoingServers">The outgoing servers this user may choose besides the system default.</param>
/// <param name="Signatures">The user's signatures: an account can attach one of them.</param>
/// <param name="Deactivated">The owner's other accounts that an administrator deactivated: their mailboxes cannot be added again.</param>
/// <param name="SystemSenderDomains">The domains the system's default server sends from; null where that is not checked.</param>
public sealed record AccountContext(
    IEnumerable<string> OwnerTitles, IReadOnlySet<Guid> OutgoingServers, IReadOnlySet<Guid>? Signatures = null,
    IEnumerable<Account>? Deactivated = null, IReadOnlyCollection<string>? SystemSenderDomains = null);

public static class AccountDecisions
{
    public const int MaxTitleLength = 100;
    public const int MaxNameLength = 200;
    public const int MaxHostLength = 253;
    public const int MaxLoginLength = 254;
    public const int MaxFolders = 200;

    /// <summary>Default ports: IMAP 993 with SSL, 143 without; POP3 995 and 110.</summary>
    public static int DefaultPort(IncomingProtocol protocol, TransportSecurity security) => (protocol, security) switch
    {
        (IncomingProtocol.Imap, TransportSecurity.SslOnConnect) => 993,
        (IncomingProtocol.Imap, _) => 143,
        (IncomingProtocol.Pop3, TransportSecurity.SslOnConnect) => 995,
        _ => 110,
    };

    /// <summary>
    /// Creates the account, or changes it: one event per meaningful change, none when nothing changed.
    /// </summary>
    public static Decision Save(Guid accountId, Guid ownerId, Account? current, AccountForm form, AccountContext context, Guid by, DateTimeOffset at)
    {
        if (current is { Deleted: true })
        {
            return Decision.Reject([new Violation("", AccountViolations.Deleted)]);
        }

        var title = Clean(form.Title);
        var name = Clean(form.Name);
        var address = Clean(form.Address);
        var host = Clean(form.Host).ToLowerInvariant();
        var login = Clean(form.Login);
        var port = form.Port ?? DefaultPort(form.Protocol, form.Security);
        var folders = form.Protocol == IncomingProtocol.Pop3
            ? Account.DefaultFolders
            : (form.MonitoredFolders ?? []).Select(Clean).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        if (folders.Count == 0)
        {
            folders = Account.DefaultFolders;
        }

        var trash = form.Protocol == IncomingProtocol.Pop3 ? null : NullIfEmpty(form.TrashFolder);
        var sent = form.Protocol == IncomingProtocol.Pop3 ? null : NullIfEmpty(form.SentFolder);
        var outgoingName = Clean(form.OutgoingName) is { Length: > 0 } n ? n : name;
        var outgoingAddress = Clean(form.OutgoingAddress) is { Length: > 0 } a ? a : address;
        var forwardTo = Clean(form.ForwardTo);

        var violations = new List<Violation>();
        Check(Enum.IsDefined(form.Protocol), nameof(form.Protocol), AccountViolations.ChoiceInvalid, violations);
        Check(Enum.IsDefined(form.Security), nameof(form.Security), AccountViolations.ChoiceInvalid, violations);
        CheckTitle(title, context.OwnerTitles, violations);
        Check(name.Length <= MaxNameLength, nameof(form.Name), AccountViolations.NameTooLong, violations);
        CheckAddress(address, nameof(form.Address), AccountViolations.AddressRequired, violations);
        if (host.Length == 0)
        {
            violations.Add(new(nameof(form.Host), AccountViolations.HostRequired));
        }
        else
        {
            Check(HostName.IsValid(host), nameof(form.Host), AccountViolations.HostInvalid, violations);
        }

        Check(port is >= 1 and <= 65535, nameof(form.Port), AccountViolations.PortInvalid, violations);
        Check(login.Length > 0, nameof(form.Login), AccountViolations.LoginRequired, violations);
        Check(login.Length <= MaxLoginLength, nameof(form.Login), AccountViolations.LoginTooLong, violations);
        Check(current?.Incoming is not null || form.NewPasswordSecretId is not null, "Password", AccountViolations.PasswordRequired, violations);
        // The saved password goes only to the server and login it was saved for, on Done as on Test: a form that
        // names another one must type it again, or the old password would be sent to whatever server was typed.
        Check(current?.Incoming is not { } saved || form.NewPasswordSecretId is not null
            || saved.Protocol == form.Protocol && saved.Host == host && saved.Port == port && saved.Security == form.Security && saved.Login == login,
            "Password", AccountViolations.PasswordRequiredForServer, violations);
        Check(folders.Count <= MaxFolders, nameof(form.MonitoredFolders), AccountViolations.TooManyFolders, violations);
        // Outgoing name and address fall back to the incoming ones, which are checked above already.
        if (Clean(form.OutgoingName).Length > 0)
        {
            Check(outgoingName.Length <= MaxNameLength, nameof(form.OutgoingName), AccountViolations.NameTooLong, violations);
        }

        if (Clean(form.OutgoingAddress).Length > 0)
        {
            CheckAddress(outgoingAddress, nameof(form.OutgoingAddress), AccountViolations.AddressRequired, violations);
        }

        // The system's default server sends with the organisation's login: only from the domains an administrator allowed.
        if (form.OutgoingServerId is null && context.SystemSenderDomains is { } allowed && EmailAddress.IsValid(outgoingAddress)
            && !Outgoing.SenderDomains.Allows(allowed, outgoingAddress))
        {
            violations.Add(new(nameof(form.OutgoingAddress), Outgoing.OutgoingViolations.SenderDomainNotAllowed, Outgoing.SenderDomains.Describe(allowed)));
        }

        if (forwardTo.Length > 0)
        {
            Check(EmailAddress.IsValid(forwardTo), nameof(form.ForwardTo), AccountViolations.AddressInvalid, violations);
        }

        Check(form.OutgoingServerId is null || context.OutgoingServers.Contains(form.OutgoingServerId.Value),
            nameof(form.OutgoingServerId), AccountViolations.UnknownOutgoingServer, violations);
        Check(form.SignatureId is null || context.Signatures?.Contains(form.SignatureId.Value) == true,
            nameof(form.SignatureId), AccountViolations.UnknownSignature, violations);
        // A deactivated mailbox stays deactivated: adding it again under another account, or pointing another account
        // at it, would undo an administrator's decision without asking them.
        Check(!(context.Deactivated ?? []).Any(d => d.Id != accountId && d.IsSameMailbox(host, login, address)),
            "", AccountViolations.MailboxDeactivated, violations);
        if (violations.Count > 0)
        {
            return Decision.Reject(violations);
        }

        var events = new List<object>();
        if (current is null)
        {
            events.Add(new AccountCreated(accountId, ownerId, form.Kind, title, name, address, by, at));
        }
        else if (current.Title != title || current.Name != name || current.Address != address)
        {
            events.Add(new AccountDetailsChanged(accountId, title, name, address, by, at));
        }

        var incoming = current?.Incoming;
        if (incoming is null || incoming.Protocol != form.Protocol || incoming.Host != host || incoming.Port != port || incoming.Security != form.Security)
        {
            events.Add(new IncomingServerConfigured(accountId, form.Protocol, host, port, form.Security, by, at));
        }

        var secret = form.NewPasswordSecretId ?? incoming!.PasswordSecretId;
        if (incoming is null || incoming.Login != login || form.NewPasswordSecretId is not null)
        {
            events.Add(new CredentialsChanged(accountId, login, secret, by, at));
        }

        if (!(current?.MonitoredFolders ?? Account.DefaultFolders).SequenceEqual(folders, StringComparer.Ordinal) || current is null && form.Protocol == IncomingProtocol.Imap)
        {
            events.Add(new FoldersSelected(accountId, folders, by, at));
        }

        if (current?.TrashFolder != trash)
        {
            events.Add(new TrashFolderSelected(accountId, trash, by, at));
        }

        if (current?.SentFolder != sent)
        {
            events.Add(new SentFolderSelected(accountId, sent, by, at));
        }

        var outgoing = new OutgoingSettings(outgoingName, outgoingAddress, forwardTo, form.OutgoingServerId);
        if (current?.Outgoing != outgoing)
        {
            events.Add(new OutgoingConfigured(accountId, outgoingName, outgoingAddress, forwardTo, form.OutgoingServerId, by, at));
        }

        if (current?.SignatureId != form.SignatureId)
        {
            events.Add(new SignatureAttached(accountId, form.SignatureId, by, at));
        }

        return Decision.Accept([.. events]);
    }

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

    private static void CheckTitle(string title, IEnumerable<string> ownerTitles, List<Violation> violations)
    {
        if (title.Length == 0)
        {
            violations.Add(new(nameof(AccountForm.Title), AccountViolations.TitleRequired));
        }
        else if (title.Length > MaxTitleLength)
        {
            violations.Add(new(nameof(AccountForm.Title), AccountViolations.TitleTooLong));
        }
        else if (ownerTitles.Any(t => Account.TitleKeyOf(t) == Account.TitleKeyOf(title)))
        {
            violations.Add(new(nameof(AccountForm.Title), AccountViolations.TitleTaken));
        }
    }

    private static void CheckAddress(string address, string field, string requiredCode, List<Violation> violations)
    {
        if (address.Length == 0)
        {
            violations.Add(new(field, requiredCode));
        }
        else
        {
            Check(EmailAddress.IsValid(address), field, AccountViolations.AddressInvalid, violations);
        }
    }

    private static void Check(bool rule, string field, string code, List<Violation> violations)
    {
        if (!rule)
        {
            violations.Add(new(field, code));
        }
    }

    private static string Clean(string? value) => (value ?? "").Trim();

    private static string? NullIfEmpty(string? value) => Clean(value) is { Length: > 0 } v ? v : null;

}

/// <summary>Stable codes for refused account input; the web host translates them.</summary>
public static class AccountViolations
{
    public const string TitleRequired = "Account.TitleRequired";
    public const string TitleTooLong = "Account.TitleTooLong";
    public const string TitleTaken = "Account.TitleTaken";
    public const string NameTooLong = "Account.NameTooLong";
    public const string AddressRequired = "Account.AddressRequired";
    public const string AddressInvalid = "Account.AddressInvalid";
    public const string HostRequired = "Account.HostRequired";
    public const string HostInvalid = "Account.HostInvalid";
    public const string PortInvalid = "Account.PortInvalid";
    public const string LoginRequired = "Account.LoginRequired";
    public const string LoginTooLong = "Account.LoginTooLong";
    public const string PasswordRequired = "Account.PasswordRequired";
    public const string PasswordRequiredForServer = "Account.PasswordRequiredForServer";
    public const string TooManyFolders = "Account.TooManyFolders";
    public const string UnknownOutgoingServer = "Account.UnknownOutgoingServer";
    public const string FingerprintInvalid = "Account.FingerprintInvalid";
    public const string UnknownSignature = "Account.UnknownSignature";
    public const string ChoiceInvalid = "Account.ChoiceInvalid";
    public const string Unknown = "Account.Unknown";
    public const string Deleted = "Account.AlreadyDeleted";
    public const string NotGroup = "Account.NotGroup";
    public const string ReasonRequired = "Account.ReasonRequired";
    public const string ReasonTooLong = "Account.ReasonTooLong";
    public const string UserUnknown = "Account.UserUnknown";
    public const string MailboxDeactivated = "Account.MailboxDeactivated";
    public const string DeactivatedNotDeletable = "Account.DeactivatedNotDeletable";
}
