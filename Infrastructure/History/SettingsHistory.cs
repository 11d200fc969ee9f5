using JasperFx.Events;
using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;

namespace MailAccounts.Infrastructure.History;

/// <summary>One event of a settings stream as the History page shows it, with every setting as it left them.</summary>
public sealed record HistoryEntry(
    long Version,
    string EventType,
    DateTimeOffset At,
    Guid By,
    string ByName,
    IReadOnlyList<SettingChange> Changes,
    IOutcomeEvent? Outcome,
    IReadOnlyList<KeyValuePair<string, string>> SettingsAfter);

public static class SettingsHistory
{
    /// <summary>
    /// Replays a stream with the aggregate's own Evolve and compares the settings before and after each
    /// event, so the history states exactly what every event changed, and keeps the settings each event left:
    /// the page's "as of" and compare read them instead of replaying the stream again. Newest first.
    /// </summary>
    public static async Task<IReadOnlyList<HistoryEntry>> LoadAsync<TState>(
        IQuerySession session,
        Guid streamId,
        Func<TState?, object, TState?> evolve,
        Func<TState?, IReadOnlyList<KeyValuePair<string, string>>> settings,
        CancellationToken cancellationToken)
        where TState : class
    {
        var events = await session.Events.FetchStreamAsync(streamId, token: cancellationToken);
        var actorNames = await ActorNamesAsync(session, events, cancellationToken);

        var entries = new List<HistoryEntry>(events.Count);
        TState? state = null;
        var before = settings(state);
        foreach (var e in events)
        {
            state = evolve(state, e.Data);
            var after = settings(state);
            var audited = e.Data as IAuditedEvent;
            var by = audited?.By ?? Actors.System;
            entries.Add(new HistoryEntry(
                e.Version,
                e.Data.GetType().Name,
                audited?.At ?? e.Timestamp,
                by,
                actorNames.GetValueOrDefault(by, ""),
                SettingChanges.Between(before, after),
                e.Data as IOutcomeEvent,
                after));
            before = after;
        }

        entries.Reverse();
        return entries;
    }

    private static async Task<Dictionary<Guid, string>> ActorNamesAsync(IQuerySession session, IEnumerable<IEvent> events, CancellationToken cancellationToken)
    {
        var ids = events.Select(e => e.Data).OfType<IAuditedEvent>().Select(e => e.By).Where(id => id != Actors.System).Distinct().ToArray();
        var users = await session.LoadManyAsync<User>(cancellationToken, ids);
        return users.ToDictionary(u => u.Id, u => u.DisplayName);
    }
}
