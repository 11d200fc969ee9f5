namespace MailAccounts.Benchmarks.EventStore;

/// <summary>Some consecutive events of one stream; <see cref="FirstVersion"/> 1 starts the stream.</summary>
public sealed record StreamChunk(Guid StreamId, long FirstVersion, IReadOnlyList<object> Events)
{
    public bool Starts => FirstVersion == 1;
}

/// <summary>
/// The order both writers follow: every account gets a few events at a time, round after round, so that streams grow
/// side by side as they do in use, and each commit holds chunks of many streams. The floor commits the same batches.
/// </summary>
public static class WritePlan
{
    public static IReadOnlyList<IReadOnlyList<StreamChunk>> Batches(IReadOnlyList<AccountStream> accounts, int eventsPerChunk, int streamsPerBatch)
    {
        var chunks = new List<StreamChunk>();
        var longest = accounts.Max(a => a.Events.Count);
        for (var offset = 0; offset < longest; offset += eventsPerChunk)
        {
            foreach (var account in accounts.Where(a => a.Events.Count > offset))
            {
                var count = Math.Min(eventsPerChunk, account.Events.Count - offset);
                chunks.Add(new StreamChunk(account.Id, offset + 1, account.Events.Skip(offset).Take(count).ToArray()));
            }
        }

        return chunks.Chunk(streamsPerBatch).Select(batch => (IReadOnlyList<StreamChunk>)batch).ToArray();
    }
}
