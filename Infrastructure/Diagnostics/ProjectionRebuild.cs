using Marten;
using Microsoft.Extensions.Logging;

namespace MailAccounts.Infrastructure.Diagnostics;

/// <summary>Where a rebuild started from the Diagnostics page stands.</summary>
public sealed record RebuildProgress(bool Running, int Done, int Total, string? Current, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error);

/// <summary>
/// Rebuilds every projected view from the events with Marten's projection daemon, as <c>projections rebuild</c> on
/// the command line does, one view after another, then imported mail's search rows from the letters, in the
/// background so that the page can show how far it got. One rebuild at a time per host.
/// </summary>
public sealed class ProjectionRebuild(IDocumentStore store, TimeProvider time, ILogger<ProjectionRebuild> logger)
{
    private readonly Lock _lock = new();
    private RebuildProgress _progress = new(false, 0, Steps, null, null, null, null);
    private Task _running = Task.CompletedTask;

    /// <summary>The name of the last step: imported mail's search index, written again from the rebuilt letters.</summary>
    public const string SearchIndexStep = "Search index";

    private static int Steps => ProjectedViews.All.Count + 1;

    public RebuildProgress Progress
    {
        get
        {
            lock (_lock)
            {
                return _progress;
            }
        }
    }

    /// <summary>Starts a rebuild unless one runs; false when one was already running.</summary>
    public bool Start()
    {
        lock (_lock)
        {
            if (_progress.Running)
            {
                return false;
            }

            // The first view is named from the start: the page showed "Rebuilding «»" while the schema was brought back.
            _progress = new RebuildProgress(true, 0, Steps, ProjectedViews.All[0].Name, time.GetUtcNow(), null, null);
            _running = Task.Run(RunAsync);
            return true;
        }
    }

    /// <summary>Waits for the rebuild under way, if any.</summary>
    public Task WhenDoneAsync() => _running;

    public async Task RunAsync()
    {
        try
        {
            // A view's table may be what went missing: the schema is brought back first, then filled from the events.
            // Pooled connections may hold statements prepared against the table that went missing: none is reused.
            Storage.DatabaseConnections.DiscardPooled(store);
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            Storage.DatabaseConnections.DiscardPooled(store);
            using var daemon = await store.BuildProjectionDaemonAsync();
            var done = 0;
            foreach (var view in ProjectedViews.All)
            {
                Update(p => p with { Current = view.Name });
                await daemon.RebuildProjectionAsync(view.Projection, TimeSpan.FromMinutes(10), CancellationToken.None);
                done++;
                Update(p => p with { Done = done });
            }

            Update(p => p with { Current = SearchIndexStep });
            await Search.SearchIndex.RebuildAsync(store, onlyMissing: false, CancellationToken.None);
            Update(p => p with { Done = done + 1 });

            Update(p => p with { Running = false, Current = null, FinishedAt = time.GetUtcNow() });
        }
        catch (Exception e)
        {
            logger.LogError(e, "Rebuilding the projections failed");
            Update(p => p with { Running = false, FinishedAt = time.GetUtcNow(), Error = e.Message });
        }
    }

    private void Update(Func<RebuildProgress, RebuildProgress> change)
    {
        lock (_lock)
        {
            _progress = change(_progress);
        }
    }
}
