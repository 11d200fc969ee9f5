using System.Globalization;
using System.Runtime.InteropServices;
using MailAccounts.Benchmarks;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// dotnet run -c Release --project Benchmarks -- events [--events 1000000] [--accounts 10000]: the event-store benchmark (Benchmarks/EventStore).
if (args.Length > 0 && args[0] == "events")
{
    return await MailAccounts.Benchmarks.EventStore.EventStoreBenchmark.RunAsync(args[1..]);
}

// dotnet run -c Release --project Benchmarks -- import [--messages 10000] [--seed 5] [--folder DIR]: the import benchmark (Benchmarks/ImportBenchmark.cs).
if (args.Length > 0 && args[0] == "import")
{
    return await ImportBenchmark.RunAsync(args[1..]);
}

// dotnet run -c Release --project Benchmarks -- search [--letters 100000] [--runs 40] [--dovecot-seconds 60] [--seed 5] [--folder DIR]: the search benchmark (Benchmarks/SearchBenchmark.cs).
if (args.Length > 0 && args[0] == "search")
{
    return await SearchBenchmark.RunAsync(args[1..]);
}

// dotnet run -c Release --project Benchmarks -- listing --messages 10000,100000 [--warm 200] [--cold 40] [--seed 5] [--folder DIR]
const string usage = "usage: listing --messages 10000,100000 [--warm 200] [--cold 40] [--seed 5] [--folder DIR (kept, and its mail reused)]";
if (args.Length == 0 || args[0] != "listing")
{
    Console.Error.WriteLine(usage);
    return 2;
}

var options = new Dictionary<string, string>();
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

int Number(string name, int fallback) => options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
var sizes = (options.GetValueOrDefault("messages") ?? "10000,100000").Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture)).ToArray();
var settings = new BenchmarkSettings(Number("warm", 200), Number("cold", 40), Number("seed", 5));
var keep = options.ContainsKey("folder");
var folder = Path.GetFullPath(options.GetValueOrDefault("folder") ?? Path.Combine(Path.GetTempPath(), "mailaccounts-bench-" + Guid.NewGuid().ToString("N")[..8]));

Console.WriteLine($"Listing benchmark: {string.Join(", ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} messages; pages of {ListingBenchmark.PageSize}; "
    + $"{settings.WarmIterations} warm and {settings.ColdIterations} cold runs a page, each way; seed {settings.Seed}");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}; {RuntimeInformation.OSDescription}; .NET {Environment.Version}; "
    + $"Dovecot {DovecotVersion()}; mail in {folder}");

// Other work on the machine shows in every figure: the load average says how much there was.
var loadAtStart = LoadAverage();
var server = await PrivateMailServer.StartAsync(Path.Combine(folder, "mail"), "bench.test");
try
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Mail:TrustedAuthorities:0"] = server.Endpoints.AuthorityCertificatePath,
        ["Mail:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
    }.Concat(server.Endpoints.MailPorts.Select((port, i) => KeyValuePair.Create<string, string?>($"Mail:AllowedPorts:{i}", port.ToString(CultureInfo.InvariantCulture))))).Build();
    // The product's own wiring of the mail side; the benchmark makes its readers and pools itself, to count their
    // commands and to start cold runs with an empty pool.
    await using var services = new ServiceCollection().AddMail(configuration).AddDataProtection().Services.BuildServiceProvider();
    var connector = services.GetRequiredService<MailConnector>();
    var vault = new SecretVault(services.GetRequiredService<IDataProtectionProvider>());
    var benchmark = new ListingBenchmark(
        server, connector, vault, services.GetRequiredService<MailOptions>(), services.GetRequiredService<CertificatePolicy>(), settings, Console.Out);

    var results = new List<Measurement>();
    foreach (var size in sizes)
    {
        results.AddRange(await benchmark.RunAsync(size, CancellationToken.None));
    }

    Report.Print(results, Console.Out);
    Console.WriteLine($"Load average at the end: {LoadAverage()} (at the start: {loadAtStart})");
    return 0;
}
finally
{
    await server.DisposeAsync();
    if (!keep)
    {
        Directory.Delete(folder, recursive: true);
    }
}

static string DovecotVersion()
{
    using var dovecot = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dovecot", "--version") { RedirectStandardOutput = true })!;
    var version = dovecot.StandardOutput.ReadToEnd().Trim();
    dovecot.WaitForExit();
    return version;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
        : "unknown CPU";
