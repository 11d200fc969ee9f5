using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Secrets;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// The user signed in with the account's provider again after it lost its authorisation. <see cref="Grant"/> names the
/// token set the sign-in just stored (a reference only): it must be the actor's own.
/// </summary>
public sealed record ReconnectAccount(Actor Actor, Guid AccountId, OAuthGrant Grant);

public static class ReconnectAccountHandler
{
    public static async Task<Outcome> Handle(
        ReconnectAccount command, IDocumentSession session, SecretVault vault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A token set stored by someone else's sign-in would let one user put another's grant on an account.
        var stored = await session.LoadAsync<ProtectedSecret>(command.Grant.TokenSecretId, cancellationToken);
        if (stored is null || stored.OwnerId != command.Actor.UserId)
        {
            return AccountStream.Refused(command.AccountId);
        }

        var outcome = await AccountStream.DecideAsync(session, command.AccountId, command.Actor, AccountUse.Configure,
            account => AccountDecisions.Reconnect(account, command.Grant, command.Actor.UserId, now), cancellationToken,
            // The old token set goes with the event that let it go, in the same unit of work.
            accepted: (account, _) =>
            {
                if (account.Authorisation?.TokenSecretId is { } old && old != command.Grant.TokenSecretId)
                {
                    vault.Forget(session, old);
                }
            });
        if (!outcome.Succeeded)
        {
            // Refused (another mailbox, another provider): the new tokens would serve nothing, so they are not kept.
            vault.Forget(session, command.Grant.TokenSecretId);
        }

        return outcome;
    }
}
