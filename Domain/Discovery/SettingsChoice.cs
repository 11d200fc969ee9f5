using MailAccounts.Domain.Accounts;

namespace MailAccounts.Domain.Discovery;

/// <summary>
/// Which of the found servers the form gets. Encrypted choices only, implicit TLS before STARTTLS: a server found
/// only in plain text is never chosen (the user may still type it, and an administrator allow it); the protocol the
/// user picked comes first when it was found, IMAP otherwise, as Thunderbird prefers it. Among equals the source's
/// order stands, which is the provider's own preference (autoconfig) or the SRV priority.
/// </summary>
public static class SettingsChoice
{
    public static FoundServer? Incoming(IEnumerable<FoundServer> servers, IncomingProtocol preferred)
    {
        var wanted = preferred == IncomingProtocol.Pop3 ? ServerRole.Pop3 : ServerRole.Imap;
        return servers
            .Where(s => s.Role is ServerRole.Imap or ServerRole.Pop3 && Encrypted(s))
            .Select((s, order) => (Server: s, Order: order))
            .OrderBy(p => p.Server.Role == wanted ? 0 : p.Server.Role == ServerRole.Imap ? 1 : 2)
            .ThenBy(p => Rank(p.Server.Endpoint.Security))
            .ThenBy(p => p.Order)
            .Select(p => p.Server)
            .FirstOrDefault();
    }

    public static FoundServer? Outgoing(IEnumerable<FoundServer> servers) => servers
        .Where(s => s.Role == ServerRole.Smtp && Encrypted(s))
        .Select((s, order) => (Server: s, Order: order))
        .OrderBy(p => Rank(p.Server.Endpoint.Security))
        .ThenBy(p => p.Order)
        .Select(p => p.Server)
        .FirstOrDefault();

    /// <summary>Whether the lookup found servers of a kind only without encryption: the form says so instead of filling them in.</summary>
    public static bool OnlyPlainFound(IReadOnlyCollection<FoundServer> servers, bool incoming)
    {
        var ofKind = servers.Where(s => incoming ? s.Role != ServerRole.Smtp : s.Role == ServerRole.Smtp).ToArray();
        return ofKind.Length > 0 && ofKind.All(s => !Encrypted(s));
    }

    private static bool Encrypted(FoundServer server) => server.Endpoint.Security != TransportSecurity.None;

    private static int Rank(TransportSecurity security) => security switch
    {
        TransportSecurity.SslOnConnect => 0,
        TransportSecurity.StartTls => 1,
        _ => 2,
    };
}
