using System.Security.Cryptography.X509Certificates;
using MailAccounts.Domain.Discovery;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Infrastructure.Discovery;

/// <summary>The <c>Discovery</c> section of the configuration: Find settings on the account form.</summary>
public sealed class DiscoveryOptions
{
    public const string Section = "Discovery";

    /// <summary>How long one Find settings may take, every lookup and probe together.</summary>
    public int TotalSeconds { get; set; } = 20;

    /// <summary>The port of the HTTPS fetch of a domain's autoconfig document.</summary>
    public int AutoconfigPort { get; set; } = 443;

    /// <summary>PEM files of authorities the autoconfig fetch trusts besides the machine's roots.</summary>
    public List<string> TrustedAuthorities { get; set; } = [];

    /// <summary>The ports a guess probes, for each protocol with implicit TLS and with STARTTLS.</summary>
    public int ImapTlsPort { get; set; } = 993;

    public int ImapStartTlsPort { get; set; } = 143;

    public int Pop3TlsPort { get; set; } = 995;

    public int Pop3StartTlsPort { get; set; } = 110;

    public int SmtpTlsPort { get; set; } = 465;

    public int SmtpStartTlsPort { get; set; } = 587;

    public GuessPorts GuessPorts => new(ImapTlsPort, ImapStartTlsPort, Pop3TlsPort, Pop3StartTlsPort, SmtpTlsPort, SmtpStartTlsPort);

    public TimeSpan Total => TimeSpan.FromSeconds(Math.Max(1, TotalSeconds));

    public CertificatePolicy CreateCertificatePolicy()
    {
        var authorities = new X509Certificate2Collection();
        foreach (var path in TrustedAuthorities.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            authorities.ImportFromPemFile(path);
        }

        return new CertificatePolicy(authorities);
    }
}
