using Marten;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Users;

/// <summary>An administrator gives a user a new password; the event says only that it changed.</summary>
public sealed record ResetUserPassword(Guid ActorId, Guid UserId, Secret Password);

public static class ResetUserPasswordHandler
{
    public static Task<Outcome> Handle(ResetUserPassword command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var password = command.Password.Reveal();
        return Administrators.DecideAsync<User>(session, command.ActorId, command.UserId,
            user => UserDecisions.ResetUserPassword(user, password, command.ActorId, now), cancellationToken,
            accepted: (_, _) => session.Store(UserCredentials.For(command.UserId, password)));
    }
}
