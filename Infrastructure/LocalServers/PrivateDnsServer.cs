using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>
/// The records a private DNS server answers with: addresses, SRV records (a service marked not offered has the
/// target "."), MX records. Names under the zones listed in <see cref="Zones"/> that are not given get NXDOMAIN;
/// nothing is forwarded anywhere.
/// </summary>
public sealed class DnsZone
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Zones { get; }

    public DnsZone(params string[] zones) => Zones = zones;

    public DnsZone Address(string name, IPAddress address)
    {
        _lines.Add($"host-record={name},{address}");
        return this;
    }

    public DnsZone Srv(string service, string domain, string target, int port, int priority = 0, int weight = 0)
    {
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"srv-host={service}.{domain},{target},{port},{priority},{weight}"));
        return this;
    }

    /// <summary>An SRV record whose target is ".": the service is not offered (RFC 2782, RFC 6186 section 3.4).</summary>
    public DnsZone NotOffered(string service, string domain)
    {
        _lines.Add($"srv-host={service}.{domain}");
        return this;
    }

    public DnsZone Mx(string domain, string exchange, int preference)
    {
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"mx-host={domain},{exchange},{preference}"));
        return this;
    }

    internal IEnumerable<string> Lines => Zones.Select(z => $"local=/{z}/").Concat(_lines);
}

/// <summary>
/// A private DNS server (Debian's dnsmasq) on a free loopback port, answering only from a <see cref="DnsZone"/>: no
/// hosts file, no upstream, no caching of anything else. For the specs of Find settings, whose SRV, MX and address
/// lookups must meet a real server; the product's resolver is pointed at it with <c>Mail:DnsServer</c>.
/// </summary>
public sealed class PrivateDnsServer : IAsyncDisposable
{
    private readonly Process _process;

    private PrivateDnsServer(Process process, IPEndPoint endPoint) => (_process, EndPoint) = (process, endPoint);

    public IPEndPoint EndPoint { get; }

    public static async Task<PrivateDnsServer> StartAsync(string folder, DnsZone zone, CancellationToken cancellationToken = default)
    {
        var dnsmasq = ProcessRunner.Find("dnsmasq")
            ?? throw new LocalServerException("dnsmasq is not installed: apt-get install dnsmasq-base (./test.sh installs it).");
        folder = Path.GetFullPath(folder);
        LocalFolders.CreateDirectory(folder);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(dnsmasq, folder, zone, cancellationToken);
            }
            catch (LocalServerException e) when (attempt < 3 && e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase))
            {
                // A port free for TCP was taken for UDP (or taken before dnsmasq bound it): the next attempt chooses another.
            }
        }
    }

    private static async Task<PrivateDnsServer> StartOnceAsync(string dnsmasq, string folder, DnsZone zone, CancellationToken cancellationToken)
    {
        var port = FreePorts.Take(1)[0];
        var configuration = Path.Combine(folder, "dnsmasq.conf");
        var lines = new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"port={port}"),
            "listen-address=127.0.0.1",
            "bind-interfaces",
            // Answers from the zone alone: no /etc/hosts, no /etc/resolv.conf, nothing forwarded, nothing cached.
            "no-hosts",
            "no-resolv",
            "no-poll",
            "cache-size=0",
            "log-facility=-",
            "log-queries",
        }.Concat(zone.Lines);
        await File.WriteAllLinesAsync(configuration, lines, Encoding.ASCII, cancellationToken);

        var start = new ProcessStartInfo(dnsmasq)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--keep-in-foreground", "--conf-file=" + configuration, "--pid-file=" + Path.Combine(folder, "dnsmasq.pid"),
            // As root it would change to the user nobody, who may not read the folder; it opens no file after starting.
            ProcessRunner.IsRoot ? "--user=root" : "--user=" + Environment.UserName })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new LocalServerException("Could not start dnsmasq.");
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // Cancelled when dnsmasq exits, which may be long after the start (when it is stopped): never disposed, so
        // that a late Exited event has a live source to cancel.
        var exit = new CancellationTokenSource();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exit.Cancel();
        using var exited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, exit.Token);
        try
        {
            // dnsmasq answers on TCP as on UDP: once it accepts a connection, it reads its zone. One that exits (a port in
            // use, a bad line) is not waited for.
            await FreePorts.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(20), "dnsmasq", exited.Token);
        }
        catch (Exception e) when (e is LocalServerException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            lock (log)
            {
                throw new LocalServerException($"dnsmasq did not start on 127.0.0.1:{port}: {log}".Trim());
            }
        }

        return new PrivateDnsServer(process, new IPEndPoint(IPAddress.Loopback, port));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
