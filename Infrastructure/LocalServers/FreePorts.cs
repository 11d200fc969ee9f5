using System.Net;
using System.Net.Sockets;

namespace MailAccounts.Infrastructure.LocalServers;

internal static class FreePorts
{
    /// <summary>
    /// Asks the kernel for free loopback ports. All are held open until every one is chosen,
    /// so one call never hands out the same port twice.
    /// </summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
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
