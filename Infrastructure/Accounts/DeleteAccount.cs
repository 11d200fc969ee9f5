using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Secrets;

namespace MailAccounts.Infrastructure.Accounts;

public sealed record DeleteAccount(Actor Actor, Guid AccountId);

public static class DeleteAccountHandler
{
    public static async Task<Outcome> Handle(
        DeleteAccount command, IDocumentSession session, SecretVault vault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Account>(command.AccountId, cancellationToken);
        if (stream.Aggregate is not { } account || !AccountAccess.Allows(account, command.Actor, AccountUse.Configure))
        {
            return new Outcome(command.AccountId, [new Violation("", AccountViolations.Unknown)]);
        }

        var decision = AccountDecisions.Delete(account, command.Actor.UserId, now);
        stream.AppendMany(decision.Events);
        if (decision.Events.OfType<AccountDeleted>().Any())
        {
            vault.Forget(session, account.Incoming?.PasswordSecretId);
        }

        return Outcome.Of(command.AccountId, decision);
    }
}
