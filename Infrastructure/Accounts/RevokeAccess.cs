using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>An administrator takes a group account away from a user; the user's next request answers 404.</summary>
public sealed record RevokeAccess(Actor Actor, Guid AccountId, Guid UserId);

public static class RevokeAccessHandler
{
    public static Task<Outcome> Handle(RevokeAccess command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        AccountStream.DecideAsync(session, command.AccountId, command.Actor, AccountUse.Administer,
            account => AccountDecisions.RevokeAccess(account, command.UserId, command.Actor.UserId, now), cancellationToken);
}
