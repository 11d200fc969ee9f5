using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

/// <summary>What the account form holds when the user presses Done.</summary>
/// <param name="NewPasswordSecretId">Set when a password was typed: the reference under which it will be stored. Null keeps the old one.</param>
/// <param name="OutgoingServerId">Null for the system's default server.</param>
/// <param name="ImportFolders">The folders imported; empty for the monitored folders. Ignored for POP3.</param>
/// <param name="Grant">Set when the user signed in with a provider on the form: the account signs in with its token, not a password, as the mailbox it names.</param>
/// <param name="ImportAll">All mail, whatever its date; otherwise mail from <paramref name="ImportSince"/> on (the last 30 days when empty).</param>
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
    AccountKind Kind = AccountKind.Individual,
    bool ImportOn = false,
    IReadOnlyList<string>? ImportFolders = null,
    bool ImportAll = false,
    DateOnly? ImportSince = null,
    OAuthGrant? Grant = null);

/// <summary>What the decision needs to know beyond the account itself.</summary>
/// <param name="OwnerTitles">Titles of the owner's other accounts: a title is unique among them.</param>
/// <param name="OutgoingServers">The outgoing servers this user may choose besides the system default.</param>
/// <param name="Signatures">The user's signatures: an account can attach one of them.</param>
/// <param name="Deactivated">The owner's other accounts that an administrator deactivated: their mailboxes cannot be added again.</param>
/// <param name="SystemSenderDomains">The domains the system's default server sends from; null where that is not checked.</param>
public sealed record AccountContext(
    IEnumerable<string> OwnerTitles, IReadOnlySet<Guid> OutgoingServers, IReadOnlySet<Guid>? Signatures = null,
    IEnumerable<Account>? Deactivated = null, IReadOnlyCollection<string>? SystemSenderDomains = null);

/// <summary>The form as the parts decide it: trimmed, the host in lower case, the port and folders filled in where the protocol decides them.</summary>
/// <param name="OutgoingName">As typed: empty means the incoming name (see <see cref="Outgoing"/>).</param>
/// <param name="OutgoingAddress">As typed: empty means the incoming address.</param>
internal sealed record NormalisedForm(
    AccountKind Kind, string Title, string Name, string Address,
    IncomingProtocol Protocol, string Host, int Port, TransportSecurity Security, string Login, Guid? NewPasswordSecretId,
    IReadOnlyList<string> MonitoredFolders, string? TrashFolder, string? SentFolder,
    string OutgoingName, string OutgoingAddress, string ForwardTo, Guid? OutgoingServerId, Guid? SignatureId, ImportSettings Import,
    OAuthGrant? Grant = null)
{
    public OutgoingSettings Outgoing => new(
        OutgoingName.Length > 0 ? OutgoingName : Name, OutgoingAddress.Length > 0 ? OutgoingAddress : Address, ForwardTo, OutgoingServerId);
}

public static partial class AccountDecisions
{
    /// <summary>
    /// Creates the account, or changes it: one event per meaningful change, none when nothing changed. Each part of
    /// the form (details, incoming server, credentials, folders, outgoing, signature, import) has its rules and its events in
    /// a file of its own; a refusal lists every broken rule of every part at once.
    /// </summary>
    public static Decision SaveAccount(Guid accountId, Guid ownerId, Account? current, AccountForm form, AccountContext context, Guid by, DateTimeOffset at)
    {
        if (current is { Deleted: true })
        {
            return Decision.Reject([new Violation("", AccountViolations.Deleted)]);
        }

        var saved = Normalise(form, at);
        return Decision.AcceptUnless(Validate(accountId, current, saved, context, at), () =>
        [
            .. DecideDetails(accountId, ownerId, current, saved, by, at),
            .. DecideIncoming(accountId, current, saved, by, at),
            .. DecideCredentials(accountId, current, saved, by, at),
            .. DecideFolders(accountId, current, saved, by, at),
            .. DecideOutgoing(accountId, current, saved, by, at),
            .. DecideSignature(accountId, current, saved, by, at),
            .. DecideImport(accountId, current, saved, by, at),
        ]);
    }

    private static NormalisedForm Normalise(AccountForm form, DateTimeOffset at)
    {
        var pop3 = form.Protocol == IncomingProtocol.Pop3;
        var folders = pop3 ? [] : (form.MonitoredFolders ?? []).Select(Clean).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        return new NormalisedForm(
            Kind: form.Kind,
            Title: Clean(form.Title),
            Name: Clean(form.Name),
            Address: Clean(form.Address),
            Protocol: form.Protocol,
            Host: Clean(form.Host).ToLowerInvariant(),
            Port: form.Port ?? DefaultPort(form.Protocol, form.Security),
            Security: form.Security,
            // Signed in with a provider, the login is the mailbox the provider signed in.
            Login: form.Grant is { } grant ? grant.Mailbox : Clean(form.Login),
            NewPasswordSecretId: form.NewPasswordSecretId,
            MonitoredFolders: folders.Length > 0 ? folders : Account.DefaultFolders,
            TrashFolder: pop3 ? null : NullIfEmpty(form.TrashFolder),
            SentFolder: pop3 ? null : NullIfEmpty(form.SentFolder),
            OutgoingName: Clean(form.OutgoingName),
            OutgoingAddress: Clean(form.OutgoingAddress),
            ForwardTo: Clean(form.ForwardTo),
            OutgoingServerId: form.OutgoingServerId,
            SignatureId: form.SignatureId,
            Import: NormaliseImport(form, at),
            Grant: form.Grant);
    }

    private static Violation[] Validate(Guid accountId, Account? current, NormalisedForm form, AccountContext context, DateTimeOffset at) =>
    [
        .. ValidateDetails(form, context),
        .. ValidateIncoming(form),
        .. ValidateCredentials(current, form),
        .. ValidateFolders(form),
        .. ValidateOutgoing(form, context),
        .. ValidateSignature(form, context),
        .. ValidateImport(form, at),
        // A deactivated mailbox stays deactivated: adding it again under another account, or pointing another account
        // at it, would undo an administrator's decision without asking them.
        .. (context.Deactivated ?? []).Any(d => d.Id != accountId && d.IsSameMailbox(form.Host, form.Login, form.Address))
            ? [new Violation("", AccountViolations.MailboxDeactivated)]
            : Array.Empty<Violation>(),
    ];

    /// <summary>An address the form requires: refused when empty or not an e-mail address.</summary>
    private static IEnumerable<Violation> CheckAddress(string address, string field, string requiredCode)
    {
        if (address.Length == 0)
        {
            yield return new Violation(field, requiredCode);
        }
        else if (!EmailAddress.IsValid(address))
        {
            yield return new Violation(field, AccountViolations.AddressInvalid);
        }
    }

    private static string? NullIfEmpty(string? value) => Clean(value) is { Length: > 0 } v ? v : null;
}
