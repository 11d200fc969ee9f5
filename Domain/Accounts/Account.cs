namespace MailAccounts.Domain.Accounts;

public sealed record IncomingSettings(IncomingProtocol Protocol, string Host, int Port, TransportSecurity Security, string Login, Guid PasswordSecretId);

public sealed record OutgoingSettings(string Name, string Address, string ForwardTo, Guid? ServerId);

public sealed record TrustedCertificate(string Host, string Fingerprint);

/// <summary>An account's settings as its events left them. Immutable: every event yields a new state.</summary>
public sealed record Account(
    Guid Id,
    Guid OwnerId,
    AccountKind Kind,
    string Title,
    string Name,
    string Address,
    IncomingSettings? Incoming,
    OutgoingSettings? Outgoing,
    IReadOnlyList<string> MonitoredFolders,
    string? TrashFolder,
    string? SentFolder,
    IReadOnlyList<TrustedCertificate> TrustedCertificates,
    bool Deleted,
    Guid? SignatureId = null,
    IReadOnlyList<Guid>? GrantedTo = null,
    string? DeactivationReason = null,
    ImportSettings? Import = null,
    Authorisation? Authorisation = null)
{
    /// <summary>The account signs in with OAuth and the provider refused to refresh its token: Reconnect restores it.</summary>
    public bool NeedsReconnecting => Authorisation is { NeedsReconnecting: true };

    /// <summary>Whether mail of this account is imported into the system on every check.</summary>
    public bool Imports => Import is { On: true };

    /// <summary>The folders imported: the ones chosen for import, or the monitored folders when none were chosen.</summary>
    public IReadOnlyList<string> ImportFolders => Import?.Folders is { Count: > 0 } chosen ? chosen : MonitoredFolders;

    /// <summary>Users an administrator let use this group account.</summary>
    public IReadOnlyList<Guid> Grantees => GrantedTo ?? [];

    public bool IsGrantedTo(Guid userId) => Grantees.Contains(userId);

    /// <summary>False once an administrator deactivated it: it is then neither checked, read nor sent from.</summary>
    public bool IsActive => DeactivationReason is null;

    public const string PasswordSetting = "Password";

    /// <summary>The provider an account signs in with, and the mailbox it signed in; the history shows them, never the token.</summary>
    public const string SignInProviderSetting = "SignInProvider";

    public const string SignedInMailboxSetting = "SignedInMailbox";

    /// <summary>The reference to the token set, which the history turns into "authorisation renewed".</summary>
    public const string TokenSetting = "Token";

    public const string NeedsReconnectingSetting = "NeedsReconnecting";

    public const string ImportSetting = "Import";

    /// <summary>The folders chosen for import; empty means the monitored folders.</summary>
    public const string ImportFoldersSetting = "ImportFolders";

    /// <summary>The first day imported; empty means all mail.</summary>
    public const string ImportSinceSetting = "ImportSince";

    /// <summary>The history's key for one user's access to a group account, followed by the user's id.</summary>
    public const string AccessSetting = "Access:";

    public static readonly IReadOnlyList<string> DefaultFolders = ["INBOX"];

    /// <summary>
    /// The title as it is compared for uniqueness among one owner's accounts. A deleted account frees its
    /// title: its key becomes its id.
    /// </summary>
    public string TitleKey => Deleted ? Id.ToString() : TitleKeyOf(Title);

    public static string TitleKeyOf(string title) => title.Trim().ToUpperInvariant();

    /// <summary>
    /// Whether settings name this account's mailbox: the same login on the same incoming server, or the same address.
    /// Host names, logins and addresses are compared without regard to case, as mail servers compare them.
    /// </summary>
    public bool IsSameMailbox(string host, string login, string address) =>
        (Incoming is { } incoming && string.Equals(incoming.Host, host, StringComparison.OrdinalIgnoreCase)
            && string.Equals(incoming.Login, login, StringComparison.OrdinalIgnoreCase))
        || string.Equals(Address, address, StringComparison.OrdinalIgnoreCase);

    public bool Trusts(string host, string fingerprint) =>
        TrustedCertificates.Any(c => string.Equals(c.Host, host, StringComparison.OrdinalIgnoreCase) && c.Fingerprint == fingerprint);

    /// <summary>
    /// The events <see cref="Evolve"/> reads; any other event leaves an account as it was (outcomes of talking to a
    /// server, for one, are the account health's). The store reads only these for the account view.
    /// </summary>
    public static IReadOnlyList<Type> ChangedBy { get; } =
    [
        typeof(AccountCreated), typeof(AccountDetailsChanged), typeof(IncomingServerConfigured), typeof(CredentialsChanged),
        typeof(FoldersSelected), typeof(TrashFolderSelected), typeof(SentFolderSelected), typeof(OutgoingConfigured),
        typeof(CertificateTrusted), typeof(SignatureAttached), typeof(AccountDeleted), typeof(AccessGranted),
        typeof(AccessRevoked), typeof(AccountDeactivated), typeof(AccountReactivated), typeof(ImportChosen),
        typeof(AccountAuthorised), typeof(AccountReconnected), typeof(AuthorisationLost),
    ];

    public static Account? Evolve(Account? state, object @event) => (state, @event) switch
    {
        (_, AccountCreated e) => new Account(
            e.AccountId, e.OwnerId, e.Kind, e.Title, e.Name, e.Address, null, null, DefaultFolders, null, null, [], false),
        (null, _) => null,
        (_, AccountDetailsChanged e) => state with { Title = e.Title, Name = e.Name, Address = e.Address },
        (_, IncomingServerConfigured e) => state with
        {
            Incoming = (state.Incoming ?? new IncomingSettings(e.Protocol, e.Host, e.Port, e.Security, "", Guid.Empty))
                with { Protocol = e.Protocol, Host = e.Host, Port = e.Port, Security = e.Security },
        },
        (_, CredentialsChanged e) => state with
        {
            Incoming = (state.Incoming ?? new IncomingSettings(IncomingProtocol.Imap, "", 0, TransportSecurity.SslOnConnect, "", Guid.Empty))
                with { Login = e.Login, PasswordSecretId = e.PasswordSecretId },
            // A typed password replaces signing in with a provider.
            Authorisation = e.PasswordSecretId != Guid.Empty && e.PasswordSecretId != state.Incoming?.PasswordSecretId ? null : state.Authorisation,
        },
        (_, AccountAuthorised e) => state with
        {
            Incoming = (state.Incoming ?? new IncomingSettings(IncomingProtocol.Imap, "", 0, TransportSecurity.SslOnConnect, "", Guid.Empty))
                with { Login = e.Mailbox, PasswordSecretId = Guid.Empty },
            Authorisation = new Authorisation(e.ProviderId, e.Mailbox, e.Scopes, e.TokenSecretId),
        },
        (_, AccountReconnected e) => state with { Authorisation = new Authorisation(e.ProviderId, e.Mailbox, e.Scopes, e.TokenSecretId) },
        (_, AuthorisationLost e) when state.Authorisation is { } authorisation => state with
        {
            Authorisation = authorisation with { LostAt = e.At, LostReason = e.Reason },
        },
        (_, FoldersSelected e) => state with { MonitoredFolders = e.Folders },
        (_, TrashFolderSelected e) => state with { TrashFolder = e.Folder },
        (_, SentFolderSelected e) => state with { SentFolder = e.Folder },
        (_, OutgoingConfigured e) => state with { Outgoing = new OutgoingSettings(e.Name, e.Address, e.ForwardTo, e.ServerId) },
        (_, CertificateTrusted e) => state with
        {
            TrustedCertificates = [.. state.TrustedCertificates.Where(c => !string.Equals(c.Host, e.Host, StringComparison.OrdinalIgnoreCase)),
                new TrustedCertificate(e.Host, e.Fingerprint)],
        },
        (_, SignatureAttached e) => state with { SignatureId = e.SignatureId },
        (_, AccountDeleted) => state with { Deleted = true },
        (_, AccessGranted e) => state with { GrantedTo = [.. state.Grantees.Where(u => u != e.UserId), e.UserId] },
        (_, AccessRevoked e) => state with { GrantedTo = [.. state.Grantees.Where(u => u != e.UserId)] },
        (_, AccountDeactivated e) => state with { DeactivationReason = e.Reason },
        (_, AccountReactivated) => state with { DeactivationReason = null },
        (_, ImportChosen e) => state with { Import = new ImportSettings(e.On, e.Folders, e.Since) },
        _ => state,
    };

    /// <summary>
    /// The settings a person reads, in the order the settings page shows them. History compares two of these
    /// to say what an event changed, so every event type gets its before and after without code of its own.
    /// The password shows only as a reference, which the history turns into "password changed".
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(Account? state)
    {
        if (state is null)
        {
            return [];
        }

        var settings = new List<KeyValuePair<string, string>>
        {
            new(nameof(Title), state.Title),
            new(nameof(Name), state.Name),
            new(nameof(Address), state.Address),
        };
        if (state.Incoming is { } incoming)
        {
            settings.AddRange(
            [
                new("Protocol", incoming.Protocol.ToString()),
                new("Host", incoming.Host),
                new("Port", incoming.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("Security", incoming.Security.ToString()),
                new("Login", incoming.Login),
            ]);
            // No password until one is saved (an account that signs in with a provider never has one).
            if (incoming.PasswordSecretId != Guid.Empty)
            {
                settings.Add(new(PasswordSetting, incoming.PasswordSecretId.ToString()));
            }
        }

        if (state.Authorisation is { } authorisation)
        {
            settings.AddRange(
            [
                new(SignInProviderSetting, authorisation.ProviderId.ToString()),
                new(SignedInMailboxSetting, authorisation.Mailbox),
                new(TokenSetting, authorisation.TokenSecretId.ToString()),
            ]);
            if (authorisation.NeedsReconnecting)
            {
                settings.Add(new(NeedsReconnectingSetting, authorisation.LostReason ?? ""));
            }
        }

        settings.Add(new(nameof(MonitoredFolders), string.Join(", ", state.MonitoredFolders)));
        settings.Add(new(nameof(TrashFolder), state.TrashFolder ?? ""));
        settings.Add(new(nameof(SentFolder), state.SentFolder ?? ""));
        if (state.Outgoing is { } outgoing)
        {
            settings.AddRange(
            [
                new("OutgoingName", outgoing.Name),
                new("OutgoingAddress", outgoing.Address),
                new("ForwardTo", outgoing.ForwardTo),
                new("OutgoingServer", outgoing.ServerId?.ToString() ?? ""),
            ]);
        }

        settings.Add(new(nameof(SignatureId), state.SignatureId?.ToString() ?? ""));
        if (state.Import is { } import)
        {
            settings.AddRange(
            [
                new(ImportSetting, import.On ? "on" : "off"),
                new(ImportFoldersSetting, import.Folders is { Count: > 0 } folders ? string.Join(", ", folders) : ""),
                new(ImportSinceSetting, import.Since?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? ""),
            ]);
        }

        settings.AddRange(state.TrustedCertificates.Select(c => new KeyValuePair<string, string>("TrustedCertificate:" + c.Host, c.Fingerprint)));
        settings.AddRange(state.Grantees.Select(u => new KeyValuePair<string, string>(AccessSetting + u, "granted")));
        if (state.DeactivationReason is { } reason)
        {
            settings.Add(new(nameof(DeactivationReason), reason));
        }

        if (state.Deleted)
        {
            settings.Add(new(nameof(Deleted), "true"));
        }

        return settings;
    }
}
