using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Infrastructure.Discovery;

/// <summary>
/// Fetches a domain's autoconfig document over HTTPS under the mail network policy: the name is resolved by the
/// product's resolver, each address is judged by the policy, and the socket is connected to that very address (the
/// handler never resolves again), so a name that answers differently the second time cannot lead anywhere else. No
/// proxy, no redirect, no cookies; the certificate is validated (by the machine's roots or <c>Discovery:TrustedAuthorities</c>);
/// the answer is read up to the document's size limit.
/// </summary>
public sealed class AutoconfigFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly MailResolver _resolver;
    private readonly MailNetworkPolicy _network;

    public AutoconfigFetcher(MailResolver resolver, MailNetworkPolicy network, DiscoveryOptions options)
    {
        (_resolver, _network) = (resolver, network);
        var certificates = options.CreateCertificatePolicy();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            // A fresh connection for every fetch: a kept one would skip the address check of the next.
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = ConnectAsync,
            SslOptions = { RemoteCertificateValidationCallback = certificates.Validate },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/xml"));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/xml"));
    }

    /// <summary>What a fetch came to: the text, or why there is none (the policy's refusal among the reasons).</summary>
    public sealed record Fetched(string? Text, ReportText? Problem, bool Refused);

    public async Task<Fetched> FetchAsync(Uri address, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new Fetched(null, ReportText.Of("Discovery.HttpStatus", (int)response.StatusCode), false);
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[Domain.Discovery.AutoconfigDocument.MaxCharacters + 1];
            var read = 0;
            while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
            {
                read += n;
            }

            return read > Domain.Discovery.AutoconfigDocument.MaxCharacters
                ? new Fetched(null, ReportText.Of("Discovery.TooLarge"), false)
                : new Fetched(Encoding.UTF8.GetString(buffer, 0, read), null, false);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            return e.InnerException switch
            {
                RefusedByPolicy refused => new Fetched(null, refused.Reason, true),
                // Most domains publish no autoconfig host: a name that does not exist is nothing found, not a problem.
                SocketException { SocketErrorCode: SocketError.HostNotFound } => new Fetched(null, null, false),
                _ => new Fetched(null, ReportText.Verbatim(e.InnerException?.Message ?? e.Message), false),
            };
        }
        catch (Exception e) when (e is IOException or SocketException && !cancellationToken.IsCancellationRequested)
        {
            return new Fetched(null, ReportText.Verbatim(e.Message), false);
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await _resolver.AddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        ReportText? refusal = null;
        foreach (var address in addresses.Select(MailNetworkPolicy.Canonical))
        {
            if (_network.AddressRefusal(address) is { } refused)
            {
                refusal ??= refused;
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new RefusedByPolicy(refusal ?? ReportText.Of("Connection.NoAddress"));
    }

    public void Dispose() => _client.Dispose();

    private sealed class RefusedByPolicy(ReportText reason) : Exception(reason.ToString())
    {
        public ReportText Reason { get; } = reason;
    }
}
