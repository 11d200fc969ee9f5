using System.Globalization;
using MailAccounts.Domain.Accounts;

namespace MailAccounts.Domain.Outgoing;

public sealed record OutgoingServer(
    Guid Id,
    Guid? OwnerId,
    OutgoingServerKind Kind,
    string Host,
    int Port,
    TransportSecurity Security,
    bool UseAuthentication,
    string Login,
    Guid? PasswordSecretId)
{
    /// <summary>
    /// For the system's default server: the domains it may send from, as an administrator chose them; null until
    /// then, when the configuration's list applies.
    /// </summary>
    public IReadOnlyList<string>? SenderDomains { get; init; }

    /// <summary>The stream of the system's default outgoing server.</summary>
    public static readonly Guid SystemDefaultId = new("00000000-0000-0000-0000-0000000000d1");

    public bool IsSystemDefault => OwnerId is null;

    /// <summary>What the user sees in the list of outgoing servers.</summary>
    public string Label => UseAuthentication && Login.Length > 0 ? $"{Login} ({Host}:{Port})" : $"{Host}:{Port}";

    /// <summary>The events <see cref="Evolve"/> reads.</summary>
    public static IReadOnlyList<Type> ChangedBy { get; } = [typeof(OutgoingServerConfigured), typeof(SenderDomainsChosen)];

    public static OutgoingServer? Evolve(OutgoingServer? state, object @event) => @event switch
    {
        OutgoingServerConfigured e => new OutgoingServer(
            e.ServerId, e.OwnerId, e.Kind, e.Host, e.Port, e.Security, e.UseAuthentication, e.Login, e.PasswordSecretId)
        {
            SenderDomains = state?.SenderDomains,
        },
        SenderDomainsChosen e when state is not null => state with { SenderDomains = e.Domains },
        _ => state,
    };

    public static IReadOnlyList<KeyValuePair<string, string>> Settings(OutgoingServer? state) => state is null
        ? []
        :
        [
            new("Kind", state.Kind.ToString()),
            new("Host", state.Host),
            new("Port", state.Port.ToString(CultureInfo.InvariantCulture)),
            new("Security", state.Security.ToString()),
            new("UseAuthentication", state.UseAuthentication.ToString()),
            new("Login", state.Login),
            new(Account.PasswordSetting, state.PasswordSecretId?.ToString() ?? ""),
            .. state.SenderDomains is { } domains ? [new KeyValuePair<string, string>(Domain.Outgoing.SenderDomains.Setting, string.Join(", ", domains))] : Array.Empty<KeyValuePair<string, string>>(),
        ];
}
