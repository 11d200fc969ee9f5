using System.Security.Cryptography.X509Certificates;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>The <c>Mail</c> section of the configuration.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>PEM files of certificate authorities trusted besides the machine's roots.</summary>
    public List<string> TrustedAuthorities { get; set; } = [];

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
