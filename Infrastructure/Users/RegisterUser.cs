using Marten;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Users;

public sealed record RegisterUser(Guid ActorId, string? Login, string? DisplayName, UserRole Role, Secret Password);

public static class RegisterUserHandler
{
    public static async Task<Outcome> Handle(RegisterUser command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await Administrators.IsAdministratorAsync(session, command.ActorId, cancellationToken))
        {
            return Administrators.Refused(Guid.Empty);
        }

        var userId = Guid.CreateVersion7();
        var key = User.LoginKeyOf(command.Login ?? "");
        var sameLogin = await session.Query<User>().Where(u => u.LoginKey == key).Select(u => u.Login).ToListAsync(cancellationToken);

        var password = command.Password.Reveal();
        var decision = UserDecisions.RegisterUser(
            userId, new UserDraft(command.Login, command.DisplayName, command.Role, password), sameLogin, command.ActorId, now);
        if (decision.IsAccepted)
        {
            session.Events.StartStream<User>(userId, decision.Events.ToArray());
            session.Store(UserCredentials.For(userId, password));
        }

        return Outcome.Of(userId, decision);
    }
}
