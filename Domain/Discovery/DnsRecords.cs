using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Discovery;

/// <summary>An SRV record as DNS gave it: the service asked for (<c>_imaps._tcp</c>), its target and port, priority and weight.</summary>
public sealed record SrvAnswer(string Service, string Target, int Port, int Priority, int Weight);

/// <summary>An MX record as DNS gave it.</summary>
public sealed record MxAnswer(string Exchange, int Preference);

/// <summary>What RFC 6186 SRV records and MX records say, as pure functions over the answers.</summary>
public static class DnsRecords
{
    /// <summary>The RFC 6186 (and RFC 8314) services, in the order they are asked: implicit TLS first.</summary>
    public static readonly IReadOnlyList<(string Service, ServerRole Role, TransportSecurity Security)> SrvServices =
    [
        ("_imaps._tcp", ServerRole.Imap, TransportSecurity.SslOnConnect),
        ("_imap._tcp", ServerRole.Imap, TransportSecurity.StartTls),
        ("_pop3s._tcp", ServerRole.Pop3, TransportSecurity.SslOnConnect),
        ("_pop3._tcp", ServerRole.Pop3, TransportSecurity.StartTls),
        ("_submissions._tcp", ServerRole.Smtp, TransportSecurity.SslOnConnect),
        ("_submission._tcp", ServerRole.Smtp, TransportSecurity.StartTls),
    ];

    /// <summary>
    /// The servers SRV records name, by priority (lower first) and weight (higher first) within a service. A target of
    /// "." says the service is not offered (RFC 6186 section 3.4) and names no server. The plain-text services
    /// (<c>_imap</c>, <c>_pop3</c>, <c>_submission</c>) are taken with STARTTLS, never without encryption (RFC 8314
    /// section 5.1). The login is the whole address, as RFC 6186 section 4 says to try first.
    /// </summary>
    public static FoundSettings FromSrv(IEnumerable<SrvAnswer> answers, MailAddressParts address)
    {
        var servers = answers
            .Select(a => (Answer: a, Service: SrvServices.FirstOrDefault(s => string.Equals(s.Service, a.Service, StringComparison.OrdinalIgnoreCase))))
            .Where(p => p.Service.Service is not null && !NotOffered(p.Answer.Target) && HostName.IsValid(p.Answer.Target.TrimEnd('.'))
                && p.Answer.Port is >= 1 and <= 65535)
            .OrderBy(p => SrvServices.ToList().FindIndex(s => s.Service == p.Service.Service))
            .ThenBy(p => p.Answer.Priority)
            .ThenByDescending(p => p.Answer.Weight)
            .Select(p => new FoundServer(p.Service.Role,
                new ServerEndpoint(p.Answer.Target.TrimEnd('.').ToLowerInvariant(), p.Answer.Port, p.Service.Security), address.Address))
            .ToArray();
        return new FoundSettings(SettingsSource.Srv, null, servers);
    }

    public static bool NotOffered(string target) => target.Trim() is "." or "";

    /// <summary>
    /// The first MX host (by preference) that lies under one of the given domains, and the domain it matched: an MX of
    /// <c>aspmx.l.google.com</c> matches <c>google.com</c>. Only whole labels match (<c>notgoogle.com</c> does not).
    /// </summary>
    public static (string Exchange, string MatchedDomain)? MatchMx(IEnumerable<MxAnswer> answers, IEnumerable<string> hostingDomains)
    {
        var domains = hostingDomains.Select(d => d.Trim().TrimEnd('.').ToLowerInvariant()).Where(d => d.Length > 0).ToArray();
        foreach (var answer in answers.OrderBy(a => a.Preference))
        {
            var host = answer.Exchange.Trim().TrimEnd('.').ToLowerInvariant();
            if (domains.FirstOrDefault(d => host == d || host.EndsWith("." + d, StringComparison.Ordinal)) is { } matched)
            {
                return (host, matched);
            }
        }

        return null;
    }
}
