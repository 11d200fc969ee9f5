using System.Runtime.InteropServices;
using MailAccounts.Infrastructure.LocalServers;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// Starts what the host needs and nobody configured: a private PostgreSQL when there is no connection string,
/// and, for the demo, a private mail server with seeded mailboxes. Both stop with the host.
/// </summary>
internal static class LocalServersHosting
{
    public const string DemoSwitch = "Demo:Enabled";
    public const string DataFolderKey = "MailAccounts:DataFolder";

    /// <summary>
    /// The one place that decides the data folder: the configured one, or the checkout's own <c>.data</c> where the
    /// servers' users can reach it, otherwise a folder of the checkout's own under /var/lib/mailaccounts. Decided
    /// once per host and printed, so that the person running it knows where the data is.
    /// </summary>
    public static string DataFolder(WebApplicationBuilder builder)
    {
        if (builder.Host.Properties.TryGetValue(DataFolderKey, out var decided))
        {
            return (string)decided;
        }

        var configured = builder.Configuration[DataFolderKey];
        var folder = Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? DataFolders.ForCheckout(Path.Combine(builder.Environment.ContentRootPath, ".."))
            : configured);
        Directory.CreateDirectory(folder);
        builder.Host.Properties[DataFolderKey] = folder;
        Console.WriteLine($"MailAccounts: keeping data in {folder}");
        return folder;
    }

    public static async Task<string> ConnectionStringAsync(WebApplicationBuilder builder, List<IAsyncDisposable> started, CancellationToken cancellationToken)
    {
        var configured = builder.Configuration.GetConnectionString("Marten");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var folder = Path.Combine(DataFolder(builder), "postgres");
        Console.WriteLine($"MailAccounts: starting the embedded PostgreSQL in {folder}");
        var postgres = await PrivatePostgres.StartAsync(folder, durable: true, cancellationToken);
        started.Add(postgres);
        return postgres.ConnectionString;
    }

    public static async Task StartDemoMailServerAsync(WebApplicationBuilder builder, List<IAsyncDisposable> started, CancellationToken cancellationToken)
    {
        if (!builder.Configuration.GetValue<bool>(DemoSwitch))
        {
            return;
        }

        var folder = Path.Combine(DataFolder(builder), "mail");
        // The demo's server behaves: its misbehaving endpoints are for the specs alone.
        var server = await PrivateMailServer.StartAsync(
            folder, DemoMailboxes.Domain, misbehave: false, quotaBytes: PrivateMailServer.UsualQuotaBytes,
            authorization: AuthorizationServerSettings.Usual, cancellationToken: cancellationToken);
        started.Add(server);
        var mailboxes = await DemoMailboxes.SeedAsync(server, folder, cancellationToken);

        // The demo's authority is trusted by this host alone, through the product's own setting.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:TrustedAuthorities:0"] = server.Endpoints.AuthorityCertificatePath,
            // The demo server listens on loopback, which mail settings may otherwise not reach, and on high ports,
            // which are allowed one by one: loopback's other services stay out of reach.
            ["Mail:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
            // The demo's mailboxes send through the system's default server (the demo Postfix) as themselves.
            ["Outgoing:SenderDomains:0"] = DemoMailboxes.Domain,
        }.Concat(server.Endpoints.MailPorts.Select((port, i) => KeyValuePair.Create<string, string?>(
            $"Mail:AllowedPorts:{i}", port.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        builder.Services.AddSingleton(server.Endpoints);
        builder.Services.AddHostedService<DemoOutgoingServer>();
        // Its authorization server is a sign-in provider, for adding a demo mailbox with "Sign in with …".
        builder.Services.AddHostedService(services => new DemoSignInProvider(
            services, server.AuthorizationServer, services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>(), folder));
        Console.WriteLine(DemoMailboxes.Describe(server.Endpoints, mailboxes));
        Console.WriteLine($"MailAccounts demo sign-in provider \"{DemoSignInProvider.Name}\": authorization server {server.AuthorizationServer.Issuer}");
    }

    /// <summary>
    /// Ctrl+C and SIGTERM while the servers start cancel the start, so that the host stops what has started instead
    /// of dying with it running. The host listens for them itself once it runs; dispose this before.
    /// </summary>
    public static IDisposable CancelOnStopSignals(CancellationTokenSource startingUp)
    {
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            startingUp.Cancel();
        }

        var registrations = new[] { PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel) };
        return new Registrations(registrations);
    }

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
