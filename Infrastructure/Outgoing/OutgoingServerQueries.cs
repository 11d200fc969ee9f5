using Marten;
using MailAccounts.Domain.Accounts;
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

    /// <summary>The server whose history the viewer asks for, or null when it does not exist or <see cref="OutgoingServerAccess"/> refuses it.</summary>
    public static async Task<OutgoingServer?> FindToAuditAsync(IQuerySession session, Guid serverId, Actor viewer, CancellationToken cancellationToken) =>
        await session.LoadAsync<OutgoingServer>(serverId, cancellationToken) is { } server && OutgoingServerAccess.MayAudit(server, viewer) ? server : null;
}
