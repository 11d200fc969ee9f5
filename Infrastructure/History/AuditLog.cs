using JasperFx.Events;
using Marten;
using Marten.Events;
using Marten.Linq.MatchesSql;
using MailAccounts.Domain.Common;

namespace MailAccounts.Infrastructure.History;

/// <summary>What the organisation's audit is narrowed to: a person who acted, an account, a kind of change, days (UTC, both ends included).</summary>
public sealed record AuditFilter(Guid? By, Guid? Account, string? Kind, DateOnly? From, DateOnly? To);

/// <summary>One audited change as stored: which stream, at which version, and the event itself.</summary>
public sealed record AuditEntry(Guid StreamId, long Version, IAuditedEvent Change)
{
    public string Kind => Change.GetType().Name;
}

/// <summary>
/// The organisation's audit trail as a named query: every settings change of every stream, newest first, narrowed in
/// the database. The knowledge of Marten's table layout (the raw events, the JSON column) stays here, not in a page.
/// </summary>
public static class AuditLog
{
    /// <summary>The most changes one query returns; narrower filters reach further back.</summary>
    public const int Limit = 200;

    /// <summary>Every kind of settings change: the audited events of the domain, by name.</summary>
    public static readonly IReadOnlyList<Type> Kinds = typeof(IAuditedEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAuditedEvent).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    public static async Task<IReadOnlyList<AuditEntry>> QueryAsync(IQuerySession session, AuditFilter filter, CancellationToken cancellationToken)
    {
        IQueryable<IEvent> events = session.Events.QueryAllRawEvents();
        if (filter.From is { } start)
        {
            var since = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            events = events.Where(e => e.Timestamp >= since);
        }

        if (filter.To is { } end)
        {
            var until = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            events = events.Where(e => e.Timestamp < until);
        }

        if (filter.Account is { } accountId)
        {
            events = events.Where(e => e.StreamId == accountId);
        }

        if (!string.IsNullOrEmpty(filter.Kind))
        {
            if (Kinds.FirstOrDefault(t => t.Name == filter.Kind) is not { } kindType)
            {
                // A kind that names no event narrows to nothing rather than to everything.
                return [];
            }

            events = events.Where(e => e.EventTypesAre(kindType));
        }

        if (filter.By is { } userId)
        {
            // Every audited event names its actor as "By"; filtered in the database, so that one person's changes are
            // found however many newer changes others made.
            events = events.Where(e => e.MatchesSql("d.data ->> 'By' = ?", userId.ToString()));
        }

        var found = await events.OrderByDescending(e => e.Sequence).Take(Limit).ToListAsync(cancellationToken);
        return found.Where(e => e.Data is IAuditedEvent).Select(e => new AuditEntry(e.StreamId, e.Version, (IAuditedEvent)e.Data)).ToArray();
    }
}
