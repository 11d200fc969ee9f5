using System.Net;
using System.Net.Sockets;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// Which addresses and ports users may make the server connect to. Mail settings are typed by users, so without
/// this a form would let anyone probe the internal network or a cloud's metadata service from our host.
/// It is applied to the address actually connected to, after name resolution, so DNS tricks do not get past it.
/// </summary>
public sealed class MailNetworkPolicy(MailOptions options)
{
    public static readonly IReadOnlySet<int> MailPorts = new HashSet<int> { 25, 465, 587, 2525, 110, 995, 143, 993 };

    private static readonly IPNetwork[] Restricted =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private readonly IReadOnlyList<IPNetwork> _allowed = options.ParseAllowedNetworks();
    private readonly HashSet<int> _allowedPorts = [.. options.AllowedPorts];
    private readonly HashSet<string> _unencrypted = new(options.AllowUnencryptedHosts, StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the address and port may be used; otherwise why not, in a sentence for the user.</summary>
    public Said? Refusal(IPAddress address, int port)
    {
        var canonical = Canonical(address);
        var allowedNetwork = _allowed.Any(n => n.Contains(canonical));
        if (!allowedNetwork && Restricted.Any(n => n.Contains(canonical)))
        {
            return Said.Of("Network.Private", canonical);
        }

        if (!allowedNetwork && !MailPorts.Contains(port) && !_allowedPorts.Contains(port))
        {
            return Said.Of("Network.NotMailPort", port);
        }

        return null;
    }

    public bool AllowsUnencrypted(string host) => _unencrypted.Contains(host.Trim());

    /// <summary>IPv4 addresses written as IPv6 (::ffff:127.0.0.1) are judged as the IPv4 address they are.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
