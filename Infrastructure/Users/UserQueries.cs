using Marten;
using MailAccounts.Domain.Users;

namespace MailAccounts.Infrastructure.Users;

public static class UserQueries
{
    /// <summary>
    /// The user as the users' view holds them, or, while that view is being rebuilt and its table may be empty for a
    /// moment, as their events say: so that nobody is signed out by a rebuild.
    /// </summary>
    public static async Task<User?> FindAsync(IQuerySession session, Guid userId, CancellationToken cancellationToken) =>
        await session.LoadAsync<User>(userId, cancellationToken)
        ?? await session.Events.AggregateStreamAsync<User>(userId, token: cancellationToken);
}
