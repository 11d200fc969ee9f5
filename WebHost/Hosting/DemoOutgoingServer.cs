using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Outgoing;
using Wolverine;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// In the demo, the system's default outgoing server is the demo Postfix, which relays for loopback without a
/// login. Saying so at every start changes nothing unless its port had to change.
/// </summary>
internal sealed class DemoOutgoingServer(IServiceProvider services, MailServerEndpoints endpoints) : AfterStartup
{
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<Commands>().InvokeAsync(
            new ConfigureSystemOutgoingServer(Actors.System, new OutgoingServerFields(
                OutgoingServerKind.Other, endpoints.Host, endpoints.Smtp, TransportSecurity.StartTls, UseAuthentication: false, null, null)),
            cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException(
                "The demo's outgoing server was refused: " + string.Join(", ", outcome.Violations.Select(v => v.Code)));
        }
    }
}
