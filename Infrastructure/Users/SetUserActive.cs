using Marten;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Users;

/// <summary>An administrator deactivates a user (who can no longer sign in) or lets them back in.</summary>
public sealed record SetUserActive(Guid ActorId, Guid UserId, bool Active);

public static class SetUserActiveHandler
{
    public static async Task<Outcome> Handle(SetUserActive command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await Administrators.IsAdministratorAsync(session, command.ActorId, cancellationToken))
        {
            return Administrators.Refused(command.UserId);
        }

        var stream = await session.Events.FetchForWriting<User>(command.UserId, cancellationToken);
        var decision = command.Active
            ? UserDecisions.Reactivate(stream.Aggregate, command.ActorId, now)
            : UserDecisions.Deactivate(stream.Aggregate, command.ActorId, now);
        stream.AppendMany(decision.Events);
        return Outcome.Of(command.UserId, decision);
    }
}
