using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailAccounts.Infrastructure.Search;

/// <summary>
/// A database from before search (or a rebuild cut short) holds letters without a search row: they are filled in the
/// background once the host runs, so that an upgrade needs no step by hand and the pages answer meanwhile.
/// </summary>
public sealed class SearchIndexFill(IDocumentStore store, IHostApplicationLifetime lifetime, ILogger<SearchIndexFill> logger) : Common.AfterStartup
{
    /// <summary>The fill under way, for a spec to wait for.</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        var stopping = lifetime.ApplicationStopping;
        Running = Task.Run(async () =>
        {
            try
            {
                var missing = await SearchIndex.MissingAsync(store, stopping);
                if (missing == 0)
                {
                    return;
                }

                logger.LogInformation("Filling in the search rows of {Missing} imported letters", missing);
                var written = await SearchIndex.RebuildAsync(store, onlyMissing: true, stopping);
                logger.LogInformation("Filled in the search rows of {Written} imported letters", written);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopped: the next start goes on with what is still missing.
            }
            catch (Exception e)
            {
                logger.LogError(e, "Filling in the search rows of imported letters failed; the Diagnostics page's rebuild writes them again");
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
