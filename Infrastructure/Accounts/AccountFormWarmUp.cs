using Microsoft.Extensions.Logging;
using Wolverine.Runtime.Handlers;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// Wolverine writes and compiles a handler the first time its message is sent, which takes seconds. The account
/// form's tests answer a person waiting at the form (the page shows "Working…"), so their handlers are compiled in
/// the background as soon as the host runs, not on the first click.
/// </summary>
public sealed class AccountFormWarmUp(HandlerGraph handlers, ILogger<AccountFormWarmUp> logger) : Common.AfterStartup
{
    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(() =>
        {
            foreach (var message in new[] { typeof(TestIncomingSettings), typeof(ListServerFolders), typeof(SendTestEmail), typeof(SaveAccount) })
            {
                try
                {
                    handlers.HandlerFor(message);
                }
                catch (Exception e)
                {
                    // The first message compiles it then, as it would without this.
                    logger.LogWarning(e, "Could not prepare the handler of {Message} ahead of use", message.Name);
                }
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }
}
