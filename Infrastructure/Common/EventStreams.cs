using Marten;
using MailAccounts.Domain.Common;

namespace MailAccounts.Infrastructure.Common;

/// <summary>
/// The one shape of an event-sourced handler: load the stream for writing, decide, append what was decided, and
/// answer the page. Each kind of stream puts its own authorisation in front (<c>AccountStream</c>,
/// <c>Administrators</c>, <c>SettingsStream</c>). Not Wolverine's aggregate handler workflow: there every value a
/// handler returns besides its events is taken for one more event, so it cannot answer an <see cref="Outcome"/>.
/// </summary>
public static class EventStreams
{
    /// <param name="outcomeId">The id the page is told about; the stream's own when null.</param>
    /// <param name="accepted">Work that goes with accepted events in the same transaction (a secret stored or forgotten, a message cascaded).</param>
    public static async Task<Outcome> DecideAsync<T>(
        IDocumentSession session, Guid streamId, Func<T?, Decision> decide, CancellationToken cancellationToken,
        Guid? outcomeId = null, Action<T?, Decision>? accepted = null)
        where T : class
    {
        var stream = await session.Events.FetchForWriting<T>(streamId, cancellationToken);
        var decision = decide(stream.Aggregate);
        if (decision.IsAccepted)
        {
            stream.AppendMany(decision.Events);
            accepted?.Invoke(stream.Aggregate, decision);
        }

        return Outcome.Of(outcomeId ?? streamId, decision);
    }
}
