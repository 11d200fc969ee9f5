using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Secrets;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>The owner deletes an account; its stored password goes with it.</summary>
public sealed record DeleteAccount(Actor Actor, Guid AccountId);

public static class DeleteAccountHandler
{
    public static Task<Outcome> Handle(
        DeleteAccount command, IDocumentSession session, SecretVault vault, DateTimeOffset now, CancellationToken cancellationToken) =>
        AccountStream.DecideAsync(session, command.AccountId, command.Actor, AccountUse.Configure,
            account => AccountDecisions.DeleteAccount(account, command.Actor.UserId, now), cancellationToken,
            accepted: (account, decision) =>
            {
                if (decision.Events.OfType<AccountDeleted>().Any())
                {
                    vault.Forget(session, account.Incoming?.PasswordSecretId);
                }
            });
}
