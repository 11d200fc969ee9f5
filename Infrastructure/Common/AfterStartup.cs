using Microsoft.Extensions.Hosting;

namespace MailAccounts.Infrastructure.Common;

/// <summary>
/// Work that runs once the host has started: Wolverine and Marten are up by then, so the work may send commands.
/// </summary>
public abstract class AfterStartup : IHostedLifecycleService
{
    protected abstract Task RunAsync(CancellationToken cancellationToken);

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped (Ctrl+C, SIGTERM) while starting: the work is done at the next start, and the person stopping
            // the host reads no trace for it.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
