using System.Net;
using System.Net.Sockets;

namespace MailAccounts.Specs.Integration.Sending;

/// <summary>
/// A misbehaving mail server on loopback: a TCP proxy in front of the private Dovecot's IMAPS port. Passing, it
/// forwards every byte both ways. Stalling, it lets the TLS handshake and the greeting through and then swallows
/// everything the client sends (its sign-in first), like a server that accepted the connection and never answers.
/// It reads only TLS record headers, never the encrypted content. Slow, it waits before it connects a client to the
/// server, like a server that takes its time to greet.
/// </summary>
public sealed class StallingProxy : IAsyncDisposable
{
    private const byte ChangeCipherSpec = 20;
    private const byte ApplicationData = 23;

    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private int _stalled;

    /// <param name="port">Where it listens: one of the ports the product may reach (<see cref="Support.ProductFixture.SparePort"/>).</param>
    public StallingProxy(int target, int port)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, port);
        // The port may have served another spec's proxy moments ago.
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether connections opened from now on stall after the handshake.</summary>
    public volatile bool Stalling;

    /// <summary>How long each connection waits before it reaches the server.</summary>
    public TimeSpan Slowness { get; set; }

    /// <summary>How many times what a client sent was swallowed (a stalled sign-in, or a command on a forgotten connection).</summary>
    public int Stalled => Volatile.Read(ref _stalled);

    /// <summary>
    /// From now on the connections already open swallow what their clients send, and stay open: a connection that a
    /// firewall forgot while it was idle, which looks open to the client until a command gets no answer. Connections
    /// opened later pass.
    /// </summary>
    public void ForgetOpenConnections() => Interlocked.Increment(ref _generation);

    private int _generation;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client, Stalling);
        }
    }

    private async Task ServeAsync(TcpClient client, bool stall)
    {
        using var server = new TcpClient();
        lock (_connections)
        {
            _connections.Add(client);
            _connections.Add(server);
        }

        try
        {
            if (Slowness > TimeSpan.Zero)
            {
                await Task.Delay(Slowness, _stop.Token);
            }

            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            var toClient = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            // Passing, the bytes go as they are (SMTP speaks plain text before STARTTLS); stalling reads TLS records.
            var toServer = stall
                ? ForwardClientAsync(client.GetStream(), server.GetStream())
                : PassClientAsync(client.GetStream(), server.GetStream(), Volatile.Read(ref _generation));
            await Task.WhenAny(toClient, toServer);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Forwards what the client sends until <see cref="ForgetOpenConnections"/>; then swallows it.</summary>
    private async Task PassClientAsync(Stream from, Stream to, int generation)
    {
        var buffer = new byte[16384];
        int read;
        while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
        {
            if (Volatile.Read(ref _generation) != generation)
            {
                Interlocked.Increment(ref _stalled);
                continue;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    /// <summary>
    /// Forwards the client's TLS records. After the client's ChangeCipherSpec comes its Finished (one record, of type
    /// 22 in TLS 1.2, 23 in TLS 1.3); the first application-data record after that is the first IMAP command.
    /// </summary>
    private async Task ForwardClientAsync(Stream from, Stream to)
    {
        var header = new byte[5];
        var finishedPending = false;
        var handshakeDone = false;
        while (true)
        {
            await from.ReadExactlyAsync(header, _stop.Token);
            var length = (header[3] << 8) | header[4];
            var body = new byte[length];
            await from.ReadExactlyAsync(body, _stop.Token);
            if (handshakeDone && header[0] == ApplicationData)
            {
                Interlocked.Increment(ref _stalled);
                // Swallow this and everything after it until the client gives up and hangs up.
                var sink = new byte[4096];
                while (await from.ReadAsync(sink, _stop.Token) > 0)
                {
                }

                return;
            }

            if (finishedPending)
            {
                finishedPending = false;
                handshakeDone = true;
            }
            else if (header[0] == ChangeCipherSpec)
            {
                finishedPending = true;
            }

            await to.WriteAsync(header, _stop.Token);
            await to.WriteAsync(body, _stop.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
