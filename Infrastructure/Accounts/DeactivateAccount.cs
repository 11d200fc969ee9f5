using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>An administrator stops an account being used, saying why.</summary>
public sealed record DeactivateAccount(Actor Actor, Guid AccountId, string? Reason);

public static class DeactivateAccountHandler
{
    public static Task<Outcome> Handle(DeactivateAccount command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        AccountStream.DecideAsync(session, command.AccountId, command.Actor, AccountUse.Administer,
            account => AccountDecisions.DeactivateAccount(account, command.Reason, command.Actor.UserId, now), cancellationToken);
}
