using Marten;

namespace MailAccounts.Infrastructure.Diagnostics;

/// <summary>
/// A stored document that is not what its stream says. <paramref name="FirstDivergingVersion"/> is the first event
/// the stored document does not reflect: the one after the last state of the stream it still equals (1 when it
/// equals none, null when the document is missing altogether).
/// </summary>
public sealed record Divergence(string View, Guid StreamId, long? FirstDivergingVersion, string Stored, string Replayed);

/// <summary>
/// Replays every stream into a fresh copy of each projected document and compares it with the stored one, as the
/// product's serializer writes them. Reads only: what it finds, a rebuild repairs.
/// </summary>
public static class ConsistencyCheck
{
    public static async Task<IReadOnlyList<Divergence>> RunAsync(IDocumentStore store, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var serializer = store.Options.Serializer();
        await using var session = store.QuerySession();
        var found = new List<Divergence>();
        foreach (var view in ProjectedViews.All)
        {
            var streams = await view.Streams(session, cancellationToken);
            progress?.Report($"{view.Name}: {streams.Count}");
            foreach (var stream in streams)
            {
                var events = await session.Events.FetchStreamAsync(stream, token: cancellationToken);
                var states = new List<(long Version, string Json)>(events.Count);
                object? state = null;
                foreach (var e in events)
                {
                    state = view.Evolve(state, e.Data);
                    states.Add((e.Version, state is null ? "null" : serializer.ToJson(state)));
                }

                var replayed = states.Count == 0 ? "null" : states[^1].Json;
                var stored = await view.Load(session, stream, cancellationToken) is { } document ? serializer.ToJson(document) : "null";
                if (stored == replayed)
                {
                    continue;
                }

                var lastEqual = states.FindLastIndex(s => s.Json == stored);
                long? diverging = stored == "null" ? null : lastEqual < 0 ? states.FirstOrDefault().Version : states[Math.Min(lastEqual + 1, states.Count - 1)].Version;
                found.Add(new Divergence(view.Name, stream, diverging, stored, replayed));
            }
        }

        return found;
    }
}
