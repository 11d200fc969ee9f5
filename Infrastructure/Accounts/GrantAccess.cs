using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>An administrator lets a user use a group account.</summary>
public sealed record GrantAccess(Actor Actor, Guid AccountId, Guid UserId);

public static class GrantAccessHandler
{
    public static async Task<Outcome> Handle(GrantAccess command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<User>(command.UserId, cancellationToken) is null)
        {
            return new Outcome(command.AccountId, [new("UserId", AccountViolations.UserUnknown)]);
        }

        return await AccountStream.DecideAsync(session, command.AccountId, command.Actor, AccountUse.Administer,
            account => AccountDecisions.GrantAccess(account, command.UserId, command.Actor.UserId, now), cancellationToken);
    }
}
