using Marten;

namespace MailAccounts.Infrastructure.Storage;

public static class Views
{
    /// <summary>
    /// A projected view's document, or, when its row is missing, the same state replayed from its stream. While the
    /// views are rebuilt from the events (Diagnostics) a row may be gone for a moment: work that runs meanwhile (a
    /// scheduled check, a queued message) must not take that for "deleted" or "never configured". Null only when the
    /// stream does not exist either.
    /// </summary>
    public static async Task<T?> LoadOrReplayAsync<T>(this IQuerySession session, Guid id, CancellationToken cancellationToken)
        where T : class =>
        await session.LoadAsync<T>(id, cancellationToken) ?? await session.Events.AggregateStreamAsync<T>(id, token: cancellationToken);
}
