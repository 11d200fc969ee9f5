using MailAccounts.Domain.Accounts;

namespace MailAccounts.Domain.Discovery;

/// <summary>The ports a guess tries: the standard ones (993, 143, 995, 110, 465, 587) unless configured otherwise.</summary>
public sealed record GuessPorts(int ImapTls = 993, int ImapStartTls = 143, int Pop3Tls = 995, int Pop3StartTls = 110, int SmtpTls = 465, int SmtpStartTls = 587);

/// <summary>
/// The last resort, as Thunderbird's GuessConfig does it: the usual host names of the domain, each probed with a real
/// connection, implicit TLS before STARTTLS on each host, and never plain text. IMAP is tried before POP3.
/// </summary>
public static class GuessPlan
{
    public static IReadOnlyList<FoundServer> Incoming(MailAddressParts address, GuessPorts ports) =>
    [
        .. Hosts(address, "imap", "mail").SelectMany(h => new[]
        {
            Server(ServerRole.Imap, h, ports.ImapTls, TransportSecurity.SslOnConnect, address),
            Server(ServerRole.Imap, h, ports.ImapStartTls, TransportSecurity.StartTls, address),
        }),
        .. Hosts(address, "pop", "mail").SelectMany(h => new[]
        {
            Server(ServerRole.Pop3, h, ports.Pop3Tls, TransportSecurity.SslOnConnect, address),
            Server(ServerRole.Pop3, h, ports.Pop3StartTls, TransportSecurity.StartTls, address),
        }),
    ];

    public static IReadOnlyList<FoundServer> Outgoing(MailAddressParts address, GuessPorts ports) =>
    [
        .. Hosts(address, "smtp", "mail").SelectMany(h => new[]
        {
            Server(ServerRole.Smtp, h, ports.SmtpTls, TransportSecurity.SslOnConnect, address),
            Server(ServerRole.Smtp, h, ports.SmtpStartTls, TransportSecurity.StartTls, address),
        }),
    ];

    private static IEnumerable<string> Hosts(MailAddressParts address, params string[] prefixes) => prefixes.Select(p => p + "." + address.Domain);

    private static FoundServer Server(ServerRole role, string host, int port, TransportSecurity security, MailAddressParts address) =>
        new(role, new ServerEndpoint(host, port, security), address.Address);
}
