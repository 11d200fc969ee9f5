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
