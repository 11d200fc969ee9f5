using Marten;
using MailAccounts.Domain.Outgoing;

namespace MailAccounts.Infrastructure.Outgoing;

public static class OutgoingServerQueries
{
    /// <summary>The servers a user may send through: their own, and the system default when administrators configured one.</summary>
    public static async Task<IReadOnlyList<OutgoingServer>> VisibleToAsync(IQuerySession session, Guid userId, CancellationToken cancellationToken) =>
        await session.Query<OutgoingServer>()
            .Where(s => s.OwnerId == userId || s.Id == OutgoingServer.SystemDefaultId)
            .ToListAsync(cancellationToken);

    public static Task<OutgoingServer?> SystemDefaultAsync(IQuerySession session, CancellationToken cancellationToken) =>
        session.LoadAsync<OutgoingServer>(OutgoingServer.SystemDefaultId, cancellationToken);
}
