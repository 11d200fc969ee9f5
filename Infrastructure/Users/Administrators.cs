using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Users;

/// <summary>
/// Administrators' commands check their actor themselves: the pages' folder authorisation is one gate, and a command
/// sent from anywhere else (a new page, a job, a mistake in a route) must not get past the rule because of it.
/// </summary>
public static class Administrators
{
    /// <summary>The system (start-up work) or an active administrator, as the store knows them now.</summary>
    public static async Task<bool> IsAdministratorAsync(IQuerySession session, Guid actorId, CancellationToken cancellationToken) =>
        actorId == Actors.System
        || await session.LoadAsync<User>(actorId, cancellationToken) is { Role: UserRole.Administrator, IsActive: true };

    public static Outcome Refused(Guid id) => new(id, [new Violation("", UserViolations.NotAdministrator)]);

    /// <summary>Authorise → load → decide → append for an administrator's command on one stream (a user, the system's server).</summary>
    public static async Task<Outcome> DecideAsync<T>(
        IDocumentSession session, Guid actorId, Guid streamId, Func<T?, Decision> decide, CancellationToken cancellationToken,
        Action<T?, Decision>? accepted = null)
        where T : class =>
        await IsAdministratorAsync(session, actorId, cancellationToken)
            ? await EventStreams.DecideAsync(session, streamId, decide, cancellationToken, accepted: accepted)
            : Refused(streamId);
}
