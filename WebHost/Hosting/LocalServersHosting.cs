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

    public static string DataFolder(WebApplicationBuilder builder)
    {
        // By default next to the projects, where ./run.sh and .gitignore expect .data/.
        var configured = builder.Configuration[DataFolderKey];
        var folder = Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(builder.Environment.ContentRootPath, "..", ".data")
            : configured);
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static async Task<string> ConnectionStringAsync(WebApplicationBuilder builder, List<IAsyncDisposable> started)
    {
        var configured = builder.Configuration.GetConnectionString("Marten");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var folder = Path.Combine(DataFolder(builder), "postgres");
        Console.WriteLine($"MailAccounts: starting the embedded PostgreSQL in {folder}");
        var postgres = await PrivatePostgres.StartAsync(folder, durable: true);
        started.Add(postgres);
        return postgres.ConnectionString;
    }

    public static async Task StartDemoMailServerAsync(WebApplicationBuilder builder, List<IAsyncDisposable> started)
    {
        if (!builder.Configuration.GetValue<bool>(DemoSwitch))
        {
            return;
        }

        var folder = Path.Combine(DataFolder(builder), "mail");
        var server = await PrivateMailServer.StartAsync(folder, DemoMailboxes.Domain);
        started.Add(server);
        var mailboxes = await DemoMailboxes.SeedAsync(server, folder);

        // The demo's authority is trusted by this host alone, through the product's own setting.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:TrustedAuthorities:0"] = server.Endpoints.AuthorityCertificatePath,
            // The demo server listens on loopback, which mail settings may otherwise not reach.
            ["Mail:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
            // The demo's mailboxes send through the system's default server (the demo Postfix) as themselves.
            ["Outgoing:SenderDomains:0"] = DemoMailboxes.Domain,
        });
        builder.Services.AddSingleton(server.Endpoints);
        builder.Services.AddHostedService<DemoOutgoingServer>();
        Console.WriteLine(DemoMailboxes.Describe(server.Endpoints, mailboxes));
    }
}
