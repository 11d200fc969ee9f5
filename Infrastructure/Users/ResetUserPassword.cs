using Marten;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Users;

public sealed record ResetUserPassword(Guid ActorId, Guid UserId, Secret Password);

public static class ResetUserPasswordHandler
{
    public static async Task<Outcome> Handle(ResetUserPassword command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await Administrators.IsAdministratorAsync(session, command.ActorId, cancellationToken))
        {
            return Administrators.Refused(command.UserId);
        }

        var stream = await session.Events.FetchForWriting<User>(command.UserId, cancellationToken);
        var password = command.Password.Reveal();
        var decision = UserDecisions.ResetPassword(stream.Aggregate, password, command.ActorId, now);
        if (decision.IsAccepted)
        {
            stream.AppendMany(decision.Events);
            session.Store(UserCredentials.For(command.UserId, password));
        }

        return Outcome.Of(command.UserId, decision);
    }
}
