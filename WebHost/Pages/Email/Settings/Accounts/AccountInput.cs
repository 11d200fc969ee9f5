using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>The account form as posted. Passwords are write-only: they are never filled in from what is stored.</summary>
public sealed class AccountInput
{
    /// <summary>The value of the outgoing-server list that stands for a server added on this form.</summary>
    public const string NewServer = "new";

    public string? Title { get; set; }

    public string? Name { get; set; }

    public string? Address { get; set; }

    public string? Login { get; set; }

    public string? Password { get; set; }

    /// <summary>The sign-in with a provider the form came back with, sealed (see <c>EditModel.SealedSignIn</c>).</summary>
    public string? SignIn { get; set; }

    public string? Host { get; set; }

    public IncomingProtocol Protocol { get; set; } = IncomingProtocol.Imap;

    public int? Port { get; set; }

    public bool UseSsl { get; set; } = true;

    public List<string> MonitoredFolders { get; set; } = ["INBOX"];

    public string? TrashFolder { get; set; }

    public string? SentFolder { get; set; }

    /// <summary>Import this account's mail into the system.</summary>
    public bool ImportOn { get; set; }

    /// <summary>The folders imported; none chosen imports the monitored folders.</summary>
    public List<string> ImportFolders { get; set; } = [];

    /// <summary>All mail; otherwise mail from <see cref="ImportSince"/> on.</summary>
    public bool ImportAll { get; set; }

    public DateOnly? ImportSince { get; set; }

    public string? OutgoingName { get; set; }

    public string? OutgoingAddress { get; set; }

    public string? ForwardTo { get; set; }

    /// <summary>The account's own signature; null for the user's default.</summary>
    public Guid? SignatureId { get; set; }

    /// <summary>Empty for the system default, an id for one of the user's servers, or <see cref="NewServer"/>.</summary>
    public string? OutgoingServer { get; set; }

    public OutgoingServerKind NewServerKind { get; set; } = OutgoingServerKind.Other;

    public string? NewServerHost { get; set; }

    public int? NewServerPort { get; set; }

    public TransportSecurity NewServerSecurity { get; set; } = TransportSecurity.StartTls;

    public bool NewServerUseAuthentication { get; set; } = true;

    public string? NewServerLogin { get; set; }

    public string? NewServerPassword { get; set; }

    /// <summary>Certificates trusted while filling in the form, as "host fingerprint"; recorded when the form is saved.</summary>
    public List<string> TrustedCertificates { get; set; } = [];

    public string? TestRecipient { get; set; }

    /// <summary>Sealed results of tests run before the account was saved; they become its first history entries.</summary>
    public List<string> TestEvidence { get; set; } = [];

    public long? Version { get; set; }

    /// <summary>The last reports of Test settings and Send test email as the form showed them, sealed, so that a failed save shows them again.</summary>
    public string? IncomingReportKept { get; set; }

    public string? OutgoingReportKept { get; set; }

    public TransportSecurity Security => UseSsl ? TransportSecurity.SslOnConnect : TransportSecurity.StartTls;

    public bool AddsServer => OutgoingServer == NewServer;

    public Guid? ChosenServerId => Guid.TryParse(OutgoingServer, out var id) ? id : null;

    public IReadOnlyList<TrustedCertificate> PendingTrust => TrustedCertificates
        .Select(t => t.Split(' ', 2, StringSplitOptions.TrimEntries))
        .Where(p => p.Length == 2)
        .Select(p => new TrustedCertificate(p[0], p[1]))
        .ToArray();

    /// <summary>A group account, for the organisation: only administrators create one, and only when it is created.</summary>
    public bool Group { get; set; }

    /// <summary>The form as the commands take it; the password travels beside it as a <see cref="Secret"/>.</summary>
    public AccountForm ToForm(OAuthGrant? grant = null) => new(
        Title: Title,
        Name: Name,
        Address: Address,
        Protocol: Protocol,
        Host: Host,
        Port: Port,
        Security: Security,
        Login: Login,
        MonitoredFolders: MonitoredFolders,
        TrashFolder: TrashFolder,
        SentFolder: SentFolder,
        OutgoingName: OutgoingName,
        OutgoingAddress: OutgoingAddress,
        ForwardTo: ForwardTo,
        OutgoingServerId: AddsServer ? null : ChosenServerId,
        SignatureId: SignatureId,
        Kind: Group ? AccountKind.Group : AccountKind.Individual,
        ImportOn: ImportOn,
        ImportFolders: ImportFolders,
        ImportAll: ImportAll,
        ImportSince: ImportSince,
        Grant: grant);

    public Secret? PasswordSecret => Password is { Length: > 0 } password ? new Secret(password) : null;

    /// <summary>Fills in the servers a provider preset gives, keeping a login already typed.</summary>
    public void Apply(PresetSettings preset)
    {
        Protocol = preset.Protocol;
        Host = preset.Incoming.Host;
        Port = preset.Incoming.Port;
        UseSsl = preset.Incoming.Security == TransportSecurity.SslOnConnect;
        Login = string.IsNullOrWhiteSpace(Login) ? Address : Login;
        OutgoingServer = NewServer;
        NewServerKind = preset.OutgoingKind;
        NewServerHost = preset.Outgoing.Host;
        NewServerPort = preset.Outgoing.Port;
        NewServerSecurity = preset.Outgoing.Security;
        NewServerUseAuthentication = true;
        NewServerLogin = string.IsNullOrWhiteSpace(NewServerLogin) ? Address : NewServerLogin;
    }

    /// <summary>
    /// Fills in what Find settings chose: the incoming part, and a new outgoing server, each only when one was found;
    /// the logins the source names (a login typed already is kept). A part not found is left as the user had it.
    /// </summary>
    public void Apply(MailAccounts.Infrastructure.Discovery.DiscoveryResult found)
    {
        if (found.Incoming is { } incoming)
        {
            Protocol = incoming.Role == MailAccounts.Domain.Discovery.ServerRole.Pop3 ? IncomingProtocol.Pop3 : IncomingProtocol.Imap;
            Host = incoming.Endpoint.Host;
            Port = incoming.Endpoint.Port;
            UseSsl = incoming.Endpoint.Security == TransportSecurity.SslOnConnect;
            Login = string.IsNullOrWhiteSpace(Login) || Login == Address ? incoming.Login : Login;
        }

        if (found.Outgoing is { } outgoing)
        {
            OutgoingServer = NewServer;
            NewServerKind = found.Preset is { } preset ? preset.SettingsFor(Protocol).OutgoingKind : OutgoingServerKind.Other;
            NewServerHost = outgoing.Endpoint.Host;
            NewServerPort = outgoing.Endpoint.Port;
            NewServerSecurity = outgoing.Endpoint.Security;
            NewServerUseAuthentication = true;
            NewServerLogin = string.IsNullOrWhiteSpace(NewServerLogin) || NewServerLogin == Address ? outgoing.Login : NewServerLogin;
        }
    }

    /// <summary>
    /// The server added on the form. With a grant, a server that signs in as its mailbox and has no password typed signs
    /// in with the account's token.
    /// </summary>
    public OutgoingServerFields? NewServerFields(OAuthGrant? grant = null) => AddsServer
        ? new OutgoingServerFields(NewServerKind, NewServerHost, NewServerPort, NewServerSecurity, NewServerUseAuthentication,
            NewServerLogin, NewServerPassword is { Length: > 0 } password ? new Secret(password) : null)
        {
            SignsInWithToken = grant is not null && NewServerUseAuthentication && NewServerPassword is not { Length: > 0 }
                && string.Equals(NewServerLogin?.Trim(), grant.Mailbox, StringComparison.OrdinalIgnoreCase),
        }
        : null;

    /// <summary>
    /// Signed in with a provider as <paramref name="mailbox"/>: the account's address and logins become it, where they
    /// were empty or the address typed before; a blank form gets the servers the mailbox's provider is known to have.
    /// </summary>
    public void SignedInAs(string mailbox)
    {
        var typed = Address?.Trim();
        bool Follows(string? value) => string.IsNullOrWhiteSpace(value) || string.Equals(value.Trim(), typed, StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(Host) && ProviderPresets.ForAddress(mailbox) is { } preset)
        {
            Address = mailbox;
            Apply(preset.SettingsFor(Protocol));
        }

        if (Follows(OutgoingAddress))
        {
            OutgoingAddress = mailbox;
        }

        if (Follows(NewServerLogin))
        {
            NewServerLogin = mailbox;
        }

        Address = mailbox;
        Login = mailbox;
    }

    public static AccountInput From(AccountForForm form) => From(form.Account, form.Version);

    private static AccountInput From(Account account, long version) => new()
    {
        Title = account.Title,
        Name = account.Name,
        Address = account.Address,
        Login = account.Incoming?.Login,
        Host = account.Incoming?.Host,
        Protocol = account.Incoming?.Protocol ?? IncomingProtocol.Imap,
        Port = account.Incoming?.Port,
        UseSsl = account.Incoming?.Security != TransportSecurity.StartTls,
        MonitoredFolders = [.. account.MonitoredFolders],
        TrashFolder = account.TrashFolder,
        SentFolder = account.SentFolder,
        OutgoingName = account.Outgoing?.Name,
        OutgoingAddress = account.Outgoing?.Address,
        ForwardTo = account.Outgoing?.ForwardTo,
        SignatureId = account.SignatureId,
        OutgoingServer = account.Outgoing?.ServerId?.ToString() ?? "",
        Version = version,
        Group = account.Kind == AccountKind.Group,
        ImportOn = account.Imports,
        ImportFolders = [.. account.Import?.Folders ?? []],
        ImportAll = account.Import is { Since: null },
        ImportSince = account.Import?.Since,
    };
}
