using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Secrets;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// Reconnect: the user signed in with the account's provider again after it refused the old grant. The grant's tokens
/// must be the actor's own (stored by their sign-in); the old token set is deleted with the event that replaces it.
/// </summary>
public sealed record ReconnectAccount(Actor Actor, Guid AccountId, OAuthGrant Grant);

public static class ReconnectAccountHandler
{
    public static async Task<Outcome> Handle(ReconnectAccount command, IDocumentSession session, SecretVault vault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<ProtectedSecret>(command.Grant.TokenSecretId, cancellationToken) is not { } tokens || tokens.OwnerId != command.Actor.UserId)
        {
            return AccountStream.Refused(command.AccountId);
        }

        return await AccountStream.DecideAsync(session, command.AccountId, command.Actor, AccountUse.Configure,
            account => AccountDecisions.Reconnect(account, command.Grant, command.Actor.UserId, now), cancellationToken,
            accepted: (account, decision) =>
            {
                if (decision.Events.Count > 0 && account.Authorisation is { } old && old.TokenSecretId != command.Grant.TokenSecretId)
                {
                    vault.Forget(session, old.TokenSecretId);
                }
            });
    }
}
