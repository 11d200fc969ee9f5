using MailAccounts.Domain.Accounts;

namespace MailAccounts.Domain.Discovery;

/// <summary>Where a set of found settings came from, in the order the lookups are tried.</summary>
public enum SettingsSource
{
    Preset,
    Autoconfig,
    Srv,
    MxPreset,
    Guess,
}

/// <summary>The three kinds of mail server a lookup can find.</summary>
public enum ServerRole
{
    Imap,
    Pop3,
    Smtp,
}

/// <summary>
/// One server a lookup found, with the login it says to use (placeholders already filled in) and whether it only
/// takes OAuth2 (no password method offered), which the form cannot do yet and must say.
/// </summary>
public sealed record FoundServer(ServerRole Role, ServerEndpoint Endpoint, string Login, bool NeedsOAuth2 = false);

/// <summary>What one lookup found for an address: the servers in the source's own order, and the provider's name where it gave one.</summary>
public sealed record FoundSettings(SettingsSource Source, string? ProviderName, IReadOnlyList<FoundServer> Servers)
{
    public bool IsEmpty => Servers.Count == 0;
}

/// <summary>An address split where mail programs split it: the local part and the domain after the last '@'.</summary>
public sealed record MailAddressParts(string Address, string LocalPart, string Domain)
{
    /// <summary>Null for anything that is not an address with a domain that could be looked up.</summary>
    public static MailAddressParts? Of(string? address)
    {
        var trimmed = address?.Trim() ?? "";
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            return null;
        }

        var domain = trimmed[(at + 1)..].TrimEnd('.').ToLowerInvariant();
        // An address literal ([192.0.2.1]) or a single label names no domain whose DNS could be asked.
        return Common.HostName.IsValid(domain) && domain.Contains('.') && !System.Net.IPAddress.TryParse(domain, out _)
            ? new MailAddressParts(trimmed, trimmed[..at], domain)
            : null;
    }
}
