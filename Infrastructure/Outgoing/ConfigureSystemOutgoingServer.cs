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
    public bool HasPassword => Password is not null && Password.Reveal().Length > 0;

    public OutgoingServerForm ToForm(Guid? newPasswordSecretId) =>
        new(Kind, Host, Port, Security, UseAuthentication, Login, newPasswordSecretId);
}

public static class ConfigureSystemOutgoingServerHandler
{
    public static async Task<Outcome> Handle(
        ConfigureSystemOutgoingServer command, IDocumentSession session, SecretVault vault, SenderDomainPolicy senders, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var id = OutgoingServer.SystemDefaultId;
        if (!await Users.Administrators.IsAdministratorAsync(session, command.ActorId, cancellationToken))
        {
            return Users.Administrators.Refused(id);
        }

        var stream = await session.Events.FetchForWriting<OutgoingServer>(id, cancellationToken);
        Guid? secretId = command.Server.HasPassword ? Guid.CreateVersion7() : null;
        var decision = OutgoingServerDecisions.Configure(id, null, stream.Aggregate, command.Server.ToForm(secretId), command.ActorId, now);
        var domains = command.SenderDomains is { } typed
            ? SenderDomains.Choose(id, senders.Allowed(stream.Aggregate), typed, command.ActorId, now)
            : Decision.Accept();
        if (!decision.IsAccepted || !domains.IsAccepted)
        {
            // Both parts of the form are refused at once, and nothing of it is saved.
            return new Outcome(id, [.. decision.Violations, .. domains.Violations]);
        }

        if (secretId is { } secret && decision.Events.Count > 0)
        {
            vault.Store(session, secret, Guid.Empty, command.Server.Password!.Reveal());
        }

        // A password replaced, or no longer needed, is deleted with the change that let it go.
        var kept = decision.Events.OfType<OutgoingServerConfigured>().LastOrDefault()?.PasswordSecretId;
        if (decision.Events.Count > 0 && stream.Aggregate?.PasswordSecretId is { } old && old != kept)
        {
            vault.Forget(session, old);
        }

        stream.AppendMany([.. decision.Events, .. domains.Events]);
        return Outcome.Of(id, decision);
    }
}
