using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using MailAccounts.Domain.Discovery;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// The one place mail host names, SRV and MX records are looked up. With <c>Mail:DnsServer</c> set, everything is
/// asked of that server (a site's own resolver, or the specs' private one), so that the settings a lookup finds are
/// tested and used with the same answers; without it, host names go to the system's resolver (and its hosts file) and
/// SRV and MX records to the name servers the system is configured with.
/// </summary>
public sealed class MailResolver
{
    private readonly LookupClient _records;
    private readonly bool _ownServer;

    public MailResolver(MailOptions options)
    {
        var server = options.ParseDnsServer();
        _ownServer = server is not null;
        var settings = server is null ? new LookupClientOptions() : new LookupClientOptions(new NameServer(server));
        // Answers change while a user tries again (a record just added); the caller's token and time limit rule.
        settings.UseCache = false;
        settings.ThrowDnsErrors = false;
        settings.ContinueOnDnsError = false;
        settings.Timeout = TimeSpan.FromSeconds(Math.Max(1, options.TimeoutSeconds));
        settings.Retries = 1;
        _records = new LookupClient(settings);
    }

    /// <summary>The addresses of a host; an address literal is itself. Throws <see cref="SocketException"/> for a name that does not exist.</summary>
    public async Task<IPAddress[]> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return [literal];
        }

        if (!_ownServer)
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }

        var v4 = QueryAsync(host, QueryType.A, cancellationToken);
        var v6 = QueryAsync(host, QueryType.AAAA, cancellationToken);
        var answers = (await v4).Concat(await v6).ToArray();
        var addresses = answers.ARecords().Select(a => a.Address).Concat(answers.AaaaRecords().Select(a => a.Address)).ToArray();
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }

    public async Task<IReadOnlyList<SrvAnswer>> SrvAsync(string service, string domain, CancellationToken cancellationToken) =>
        (await QueryAsync($"{service}.{domain}", QueryType.SRV, cancellationToken)).SrvRecords()
            .Select(r => new SrvAnswer(service, r.Target.Value, r.Port, r.Priority, r.Weight))
            .ToArray();

    public async Task<IReadOnlyList<MxAnswer>> MxAsync(string domain, CancellationToken cancellationToken) =>
        (await QueryAsync(domain, QueryType.MX, cancellationToken)).MxRecords()
            .Select(r => new MxAnswer(r.Exchange.Value, r.Preference))
            .ToArray();

    /// <summary>The answers, none for a name or record that does not exist; a server that does not answer is a <see cref="TimeoutException"/>.</summary>
    private async Task<IReadOnlyList<DnsResourceRecord>> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _records.QueryAsync(name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException e)
        {
            // DnsClient reports a cancelled query as a failed one; the caller's token says which it was.
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(e.Message, e);
        }

        // NXDOMAIN and "no such record" are answers: nothing there.
        return response.HasError ? [] : [.. response.Answers];
    }
}
