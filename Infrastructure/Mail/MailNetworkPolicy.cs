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
        // Site-local, deprecated but still routed inside some networks.
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    // IPv6 forms that carry an IPv4 address a translator or relay connects to: they are judged by that address.
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64Local = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork IPv4Translated = IPNetwork.Parse("::ffff:0:0:0/96");

    private readonly IReadOnlyList<IPNetwork> _allowed = options.ParseAllowedNetworks();
    private readonly HashSet<int> _allowedPorts = [.. options.AllowedPorts];
    private readonly HashSet<string> _unencrypted = new(options.AllowUnencryptedHosts, StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the address and port may be used; otherwise why not, in a sentence for the user.</summary>
    public ReportText? Refusal(IPAddress address, int port)
    {
        if (AddressRefusal(address) is { } refused)
        {
            return refused;
        }

        // An allowed network opens its mail servers, not every service on it: the port rule holds there too.
        if (!MailPorts.Contains(port) && !_allowedPorts.Contains(port))
        {
            return ReportText.Of("Network.NotMailPort", port);
        }

        return null;
    }

    /// <summary>
    /// The address rule alone, for connections whose port is the product's own choice, not a user's (the HTTPS fetch
    /// of a domain's autoconfig document): null when the address may be used, otherwise why not.
    /// </summary>
    public ReportText? AddressRefusal(IPAddress address)
    {
        var canonical = Canonical(address);
        // The address itself, and any IPv4 address it carries, must each be public or in an allowed network.
        foreach (var judged in Embedded(canonical).Prepend(canonical))
        {
            if (!_allowed.Any(n => n.Contains(judged)) && Restricted.Any(n => n.Contains(judged)))
            {
                return ReportText.Of("Network.Private", judged);
            }
        }

        return null;
    }

    /// <summary>
    /// The IPv4 addresses an IPv6 address leads to: NAT64 (RFC 6052; a local-use prefix in every layout it may use),
    /// 6to4, Teredo (its server and its client), IPv4-compatible and IPv4-translated (SIIT) addresses.
    /// </summary>
    public static IEnumerable<IPAddress> Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            yield break;
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || IPv4Compatible.Contains(address) || IPv4Translated.Contains(address))
        {
            yield return new IPAddress(bytes[12..16]);
        }
        else if (Nat64Local.Contains(address))
        {
            // RFC 6052 section 2.2: the IPv4 address sits after the prefix, skipping bits 64 to 71.
            foreach (var prefixBytes in new[] { 6, 7, 8, 12 })
            {
                yield return new IPAddress([.. bytes[prefixBytes..].Where((_, i) => prefixBytes + i != 8).Take(4)]);
            }
        }
        else if (SixToFour.Contains(address))
        {
            yield return new IPAddress(bytes[2..6]);
        }
        else if (Teredo.Contains(address))
        {
            yield return new IPAddress(bytes[4..8]);
            yield return new IPAddress(bytes[12..16].Select(b => (byte)~b).ToArray());
        }
    }

    public bool AllowsUnencrypted(string host) => _unencrypted.Contains(host.Trim());

    /// <summary>IPv4 addresses written as IPv6 (::ffff:127.0.0.1) are judged as the IPv4 address they are.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
