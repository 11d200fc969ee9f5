using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>An administrator lets a user use a group account.</summary>
public sealed record GrantAccess(Actor Actor, Guid AccountId, Guid UserId);

/// <summary>An administrator takes a group account away from a user; the user's next request answers 404.</summary>
public sealed record RevokeAccess(Actor Actor, Guid AccountId, Guid UserId);

/// <summary>An administrator stops an account being used, saying why.</summary>
public sealed record DeactivateAccount(Actor Actor, Guid AccountId, string? Reason);

public sealed record ReactivateAccount(Actor Actor, Guid AccountId);

public static class ManageAccessHandler
{
    public static async Task<Outcome> Handle(GrantAccess command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<User>(command.UserId, cancellationToken) is null)
        {
            return new Outcome(command.AccountId, [new Violation("UserId", AccountViolations.UserUnknown)]);
        }

        return await DecideAsync(session, command.Actor, command.AccountId, account => AccountDecisions.GrantAccess(account, command.UserId, command.Actor.UserId, now), cancellationToken);
    }

    public static Task<Outcome> Handle(RevokeAccess command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        DecideAsync(session, command.Actor, command.AccountId, account => AccountDecisions.RevokeAccess(account, command.UserId, command.Actor.UserId, now), cancellationToken);

    public static Task<Outcome> Handle(DeactivateAccount command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        DecideAsync(session, command.Actor, command.AccountId, account => AccountDecisions.Deactivate(account, command.Reason, command.Actor.UserId, now), cancellationToken);

    public static Task<Outcome> Handle(ReactivateAccount command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        DecideAsync(session, command.Actor, command.AccountId, account => AccountDecisions.Reactivate(account, command.Actor.UserId, now), cancellationToken);

    private static async Task<Outcome> DecideAsync(
        IDocumentSession session, Actor actor, Guid accountId, Func<Account, Decision> decide, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Account>(accountId, cancellationToken);
        if (stream.Aggregate is not { } account || !AccountAccess.Allows(account, actor, AccountUse.Administer))
        {
            return new Outcome(accountId, [new Violation("", AccountViolations.Unknown)]);
        }

        var decision = decide(account);
        stream.AppendMany(decision.Events);
        return Outcome.Of(accountId, decision);
    }
}
