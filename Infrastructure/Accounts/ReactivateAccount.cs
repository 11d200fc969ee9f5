using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>An administrator lets a deactivated account be used again.</summary>
public sealed record ReactivateAccount(Actor Actor, Guid AccountId);

public static class ReactivateAccountHandler
{
    public static Task<Outcome> Handle(ReactivateAccount command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        AccountStream.DecideAsync(session, command.AccountId, command.Actor, AccountUse.Administer,
            account => AccountDecisions.ReactivateAccount(account, command.Actor.UserId, now), cancellationToken);
}
