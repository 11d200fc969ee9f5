using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Outgoing;

/// <summary>
/// The domains whose addresses the system's default outgoing server may send from. That server signs in with the
/// organisation's own login, so without this list any user could send "From" any address (the CEO's, say) with the
/// organisation's reputation. A user's own servers are not restricted: their login decides what they may send.
/// </summary>
public static class SenderDomains
{
    public const string Setting = "SenderDomains";

    public const int MaxDomains = 100;

    /// <summary>The domains as an administrator types them: separated by commas, spaces or lines, an "@" in front allowed.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string?>? entries) => (entries ?? [])
        .SelectMany(e => (e ?? "").Split([',', ';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Select(d => d.TrimStart('@').TrimEnd('.').ToLowerInvariant())
        .Where(d => d.Length > 0)
        .Distinct()
        .ToArray();

    /// <summary>Whether an address is in one of the domains: the part after the last "@", exactly (a subdomain is a domain of its own).</summary>
    public static bool Allows(IReadOnlyCollection<string> domains, string? address)
    {
        var at = (address ?? "").LastIndexOf('@');
        var domain = at < 0 ? "" : address![(at + 1)..].Trim().TrimEnd('.');
        return domain.Length > 0 && domains.Contains(domain, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Shown in refusals: the domains an address may be in.</summary>
    public static string Describe(IReadOnlyCollection<string> domains) => domains.Count == 0 ? "—" : string.Join(", ", domains);

    /// <summary>
    /// An administrator sets the list on the system server's stream; <paramref name="effective"/> is what applies now
    /// (the list chosen before, or the configuration's). The same list appends nothing.
    /// </summary>
    public static Decision Choose(Guid serverId, IReadOnlyList<string> effective, IEnumerable<string?>? typed, Guid by, DateTimeOffset at)
    {
        var domains = Parse(typed);
        var invalid = domains.Where(d => !HostName.IsValid(d) || System.Net.IPAddress.TryParse(d, out _) || !d.Contains('.')).ToArray();
        // One message naming every entry that is not a domain: the field shows one message.
        var violations = invalid.Length == 0 ? [] : new List<Violation> { new(Setting, OutgoingViolations.SenderDomainInvalid, string.Join(", ", invalid)) };
        if (domains.Count > MaxDomains)
        {
            violations.Add(new(Setting, OutgoingViolations.TooManySenderDomains));
        }

        if (violations.Count > 0)
        {
            return Decision.Reject(violations);
        }

        return domains.SequenceEqual(effective)
            ? Decision.Accept()
            : Decision.Accept(new SenderDomainsChosen(serverId, domains, by, at));
    }
}

public static class OutgoingViolations
{
    public const string SenderDomainInvalid = "Outgoing.SenderDomainInvalid";
    public const string TooManySenderDomains = "Outgoing.TooManySenderDomains";

    /// <summary>The From address is not in a domain the system's default server may send from.</summary>
    public const string SenderDomainNotAllowed = "Outgoing.SenderDomainNotAllowed";
}
