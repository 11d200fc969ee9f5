using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailAccounts.Infrastructure.LocalServers;

namespace MailAccounts.Specs.Support;

/// <summary>
/// A real second host process, WebHost's own build, over the fixture's PostgreSQL and mail servers, with a port and a
/// data folder of its own: for the specs that kill a host (SIGKILL) in the middle of its work and start it again.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private HostProcess(Process process, StringBuilder output, int port) => (_process, _output, Port) = (process, output, port);

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>What the host wrote so far, for a failure's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static string DataFolder(int port) => Path.Combine(Path.GetTempPath(), "mailaccounts-second-host-" + port);

    /// <summary>
    /// The host as its own project built it, to run as a process. Not the copy beside the specs: there the host's
    /// command line (JasperFx) scans the folder's assemblies, the specs' among them, whose xunit attributes it cannot load.
    /// </summary>
    public static string BuiltHostFolder { get; } =
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "WebHost", "bin", "Release", "net10.0"));

    public static string BuiltHost => Path.Combine(BuiltHostFolder, "MailAccounts.WebHost.dll");

    /// <summary>Starts the host with the fixture's settings and <paramref name="settings"/> over them; returns once it answers.</summary>
    public static async Task<HostProcess> StartAsync(ProductFixture product, int port, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", BuiltHost)
        {
            WorkingDirectory = BuiltHostFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var all = product.HostSettings();
        all["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        all["MailAccounts:DataFolder"] = DataFolder(port);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        foreach (var (key, value) in all)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, output, port);
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The second host exited: " + host.Output);
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/SignIn")).IsSuccessStatusCode)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill();
        throw new TimeoutException("The second host did not answer within 60 seconds: " + host.Output);
    }

    /// <summary>SIGKILL, as a crash: nothing of the host's shutdown runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM first, as a service manager stops a host; SIGKILL if it does not stop in time. Never left running.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }

    /// <summary>A port for a host process to listen on, below the ephemeral range so that no connection takes it first.</summary>
    public static int FreePort() => FreePorts.Take(1)[0];

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, int seconds)
    {
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Waited {seconds} seconds for {what}.");
    }
}
