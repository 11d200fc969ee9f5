using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Secrets;

namespace MailAccounts.Infrastructure.Outgoing;

/// <summary>
/// An administrator sets the system's default outgoing server, which every account may use, and the domains it may
/// send from (<paramref name="SenderDomains"/> null leaves them as they are).
/// </summary>
public sealed record ConfigureSystemOutgoingServer(Guid ActorId, OutgoingServerFields Server, IReadOnlyList<string>? SenderDomains = null);

/// <summary>What a form says about an outgoing server; an empty password keeps the stored one.</summary>
public sealed record OutgoingServerFields(
    OutgoingServerKind Kind,
    string? Host,
    int? Port,
    Domain.Accounts.TransportSecurity Security,
    bool UseAuthentication,
    string? Login,
    Secret? Password)
{
    public bool HasPassword => Password is not null && Password.Reveal().Length > 0 && !SignsInWithToken;

    /// <summary>Signs in with the access token of the account that sends (an account signed in with a provider), not a password.</summary>
    public bool SignsInWithToken { get; init; }

    public OutgoingServerForm ToForm(Guid? newPasswordSecretId) =>
        new(Kind, Host, Port, Security, UseAuthentication, Login, newPasswordSecretId, SignsInWithToken);
}

public static class ConfigureSystemOutgoingServerHandler
{
    public static Task<Outcome> Handle(
        ConfigureSystemOutgoingServer command, IDocumentSession session, SecretVault vault, SenderDomainPolicy senders, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        Guid? secretId = command.Server.HasPassword ? Guid.CreateVersion7() : null;
        return Users.Administrators.DecideAsync<OutgoingServer>(session, command.ActorId, OutgoingServer.SystemDefaultId,
            server => OutgoingServerDecisions.ConfigureSystemOutgoingServer(
                server, command.Server.ToForm(secretId), senders.Allowed(server), command.SenderDomains, command.ActorId, now),
            cancellationToken,
            accepted: (server, decision) => KeepOnlyTheSecretInUse(session, vault, command, secretId, server, decision));
    }

    /// <summary>A password typed is stored; one replaced, or no longer needed, is deleted with the change that let it go.</summary>
    private static void KeepOnlyTheSecretInUse(
        IDocumentSession session, SecretVault vault, ConfigureSystemOutgoingServer command, Guid? secretId, OutgoingServer? server, Decision decision)
    {
        if (decision.Events.OfType<OutgoingServerConfigured>().LastOrDefault() is not { } configured)
        {
            return;
        }

        if (secretId is { } secret)
        {
            vault.Store(session, secret, Guid.Empty, command.Server.Password!.Reveal());
        }

        if (server?.PasswordSecretId is { } old && old != configured.PasswordSecretId)
        {
            vault.Forget(session, old);
        }
    }
}
