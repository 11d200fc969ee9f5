using System.Net;
using System.Net.Sockets;

namespace MailAccounts.Infrastructure.LocalServers;

internal static class FreePorts
{
    /// <summary>
    /// Free loopback ports, chosen at random below the kernel's ephemeral range. A port the kernel hands out for port 0
    /// comes from the same range as the local ports of outgoing connections, so under load (specs side by side, each
    /// with clients of its servers) one of them could take a chosen port before the server bound it: Dovecot then
    /// failed with "Address already in use". All are held open until every one is chosen, so one call never hands out
    /// the same port twice, and no port is handed out twice in one process: the specs' fixtures each take theirs,
    /// some to bind only later (a proxy a spec starts), and one's choice must not be free merely because the other
    /// has not bound it yet.
    /// </summary>
    public static int[] Take(int count)
    {
        var (first, last) = BelowEphemeral();
        var listeners = new List<TcpListener>();
        try
        {
            for (var tries = 0; listeners.Count < count; tries++)
            {
                // Where nothing lies below the ephemeral range (or it is full), the kernel chooses.
                var port = last - first > 1000 && tries < 1000 ? Random.Shared.Next(first, last + 1) : 0;
                var listener = new TcpListener(IPAddress.Loopback, port);
                try
                {
                    listener.Start();
                    if (!HandedOut.TryAdd(((IPEndPoint)listener.LocalEndpoint).Port, 0))
                    {
                        listener.Stop();
                        continue;
                    }

                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Stop();
                }
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>The ports from 10000 up to the first of Linux's ephemeral range (32768 unless configured otherwise).</summary>
    private static (int First, int Last) BelowEphemeral()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        var low = 32768;
        if (File.Exists(range) && File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is [var from, ..]
            && int.TryParse(from, out var configured))
        {
            low = configured;
        }

        return (10000, low - 1);
    }

    /// <summary>
    /// The ports this data folder used last time when they are all still free, otherwise new ones. Stable
    /// ports keep the demo's saved account settings valid from one run to the next.
    /// </summary>
    public static int[] TakeRemembered(string file, int count)
    {
        if (File.Exists(file))
        {
            var remembered = File.ReadAllText(file).Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.TryParse(p, out var port) ? port : 0)
                .ToArray();
            if (remembered.Length == count && remembered.All(IsFree))
            {
                return remembered;
            }
        }

        var ports = Take(count);
        File.WriteAllText(file, string.Join(',', ports));
        return ports;
    }

    private static bool IsFree(int port)
    {
        if (port is <= 0 or > 65535)
        {
            return false;
        }

        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new LocalServerException($"{what} is not listening on 127.0.0.1:{port} after {timeout.TotalSeconds:0} s: {e.Message}");
            }
        }
    }
}
