using Microsoft.Extensions.Hosting;

namespace MailAccounts.Infrastructure.Common;

/// <summary>
/// Work that runs once the host has started: Wolverine and Marten are up by then, so the work may send commands.
/// </summary>
public abstract class AfterStartup : IHostedLifecycleService
{
    public abstract Task StartedAsync(CancellationToken cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
