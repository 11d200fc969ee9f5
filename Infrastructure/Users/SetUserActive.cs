using Marten;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Users;

/// <summary>An administrator deactivates a user (who can no longer sign in) or lets them back in.</summary>
public sealed record SetUserActive(Guid ActorId, Guid UserId, bool Active);

public static class SetUserActiveHandler
{
    public static Task<Outcome> Handle(SetUserActive command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        Administrators.DecideAsync<User>(session, command.ActorId, command.UserId,
            user => UserDecisions.SetUserActive(user, command.Active, command.ActorId, now), cancellationToken);
}
