using System.Net;
using System.Net.Sockets;

namespace MailAccounts.Specs.Support;

/// <summary>
/// A DNS server that reads every question and never answers, on a free loopback UDP port: a real silent server, as
/// <c>Misbehaving.SilentPort</c> is for IMAP, for the spec of the time limit (dnsmasq cannot be slow on demand).
/// </summary>
public sealed class SilentDnsServer : IAsyncDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private int _questions;

    public SilentDnsServer() => _reading = ReadAsync();

    public IPEndPoint EndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    /// <summary>How many questions arrived: proof that the resolver really asked this server.</summary>
    public int Questions => Volatile.Read(ref _questions);

    private async Task ReadAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _socket.ReceiveAsync(_stop.Token);
                Interlocked.Increment(ref _questions);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _reading;
        _stop.Dispose();
    }
}
