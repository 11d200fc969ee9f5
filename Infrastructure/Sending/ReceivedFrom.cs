using System.Collections.Concurrent;
using System.Threading.Channels;
using Marten;
using MailAccounts.Domain.Sending;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// Someone the user received mail from: the From of a message the user opened, with the name it gave. Only the address
/// and name are kept, one document per user and address, written once.
/// </summary>
public sealed record ReceivedFrom(Guid Id, Guid UserId, string Address, string Name, string Search, DateTimeOffset FirstReadAt);

/// <summary>
/// Learns the senders of the messages the user opens, off the request path: the page hands the addresses over and
/// goes on; one writer stores them in batches, each address once (those already stored or queued are skipped
/// in memory, and a batch loads what the database has before it stores the rest). Opening a message, not listing a
/// folder, is the signal: the list pays nothing, and a sender the user never opened (most spam) is never offered.
/// </summary>
public sealed class ReceivedFromLearner(IDocumentStore store, TimeProvider time, ILogger<ReceivedFromLearner> log) : BackgroundService
{
    private const int Batch = 200;

    /// <summary>Beyond this many remembered ids the memory starts again: the database check keeps it correct.</summary>
    private const int Remembered = 100_000;

    // A full queue drops what it cannot take: a sender missed now is learnt the next time it is opened.
    private readonly Channel<ReceivedFrom> queue = Channel.CreateBounded<ReceivedFrom>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly ConcurrentDictionary<Guid, byte> known = new();

    /// <summary>The senders of a message the user opened, but none of the user's own addresses.</summary>
    public void Note(Guid userId, IEnumerable<Recipient> senders, IReadOnlyCollection<string> own)
    {
        foreach (var sender in senders.Where(s => s.Address.Length is > 0 and <= 320 && !own.Contains(s.Address, StringComparer.OrdinalIgnoreCase)))
        {
            var id = Correspondents.IdOf(userId, sender.Address);
            if (known.Count > Remembered)
            {
                known.Clear();
            }

            if (known.TryAdd(id, 0) && !queue.Writer.TryWrite(new ReceivedFrom(
                    id, userId, sender.Address, sender.Name, (sender.Address + " " + sender.Name).ToLowerInvariant(), time.GetUtcNow())))
            {
                known.TryRemove(id, out _);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WriteAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops: what is still queued is learnt the next time those senders are opened.
        }
    }

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            var batch = new List<ReceivedFrom>(Batch);
            while (batch.Count < Batch && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                await using var session = store.LightweightSession();
                var stored = (await session.LoadManyAsync<ReceivedFrom>(stoppingToken, batch.Select(b => b.Id).ToArray())).Select(r => r.Id).ToHashSet();
                var fresh = batch.Where(b => !stored.Contains(b.Id)).DistinctBy(b => b.Id).ToArray();
                if (fresh.Length > 0)
                {
                    session.Store(fresh);
                    await session.SaveChangesAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not learnt this time: the next opening of these senders tries again.
                foreach (var item in batch)
                {
                    known.TryRemove(item.Id, out _);
                }

                log.LogWarning(e, "Could not record {Count} senders for the address suggestions", batch.Count);
            }
        }
    }
}

/// <summary>The addresses the user received mail from, the latest learnt first; matched anywhere in the address or the name.</summary>
public sealed class ReceivedFromAddresses : IAddressSource
{
    public async Task<IReadOnlyList<AddressSuggestion>> FindAsync(
        IQuerySession session, Guid userId, string typed, int limit, CancellationToken cancellationToken)
    {
        var search = typed.ToLowerInvariant();
        var found = await session.Query<ReceivedFrom>()
            .Where(r => r.UserId == userId && r.Search.Contains(search))
            .OrderByDescending(r => r.FirstReadAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. found.Select(r => new AddressSuggestion(r.Name, r.Address))];
    }
}
