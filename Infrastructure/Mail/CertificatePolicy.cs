using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// Decides whether a mail server's certificate is acceptable. Certificates are always validated: by the
/// machine's roots, or by the authorities an administrator configured (<c>Mail:TrustedAuthorities</c>).
/// A revoked certificate always fails; a revocation status that cannot be learnt (no CRL distribution point,
/// an internal CA, a closed network) is tolerated, as corporate servers with internal CAs need.
/// </summary>
public sealed class CertificatePolicy(X509Certificate2Collection trustedAuthorities)
{
    private const X509ChainStatusFlags Tolerated =
        X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    public static CertificatePolicy SystemRootsOnly { get; } = new([]);

    public X509Certificate2Collection TrustedAuthorities { get; } = trustedAuthorities;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var extra = chain?.ChainElements.Skip(1).Select(e => e.Certificate) ?? [];
        return ChainIsAcceptable(leaf, extra, customRoots: null)
            || (TrustedAuthorities.Count > 0 && ChainIsAcceptable(leaf, extra, TrustedAuthorities));
    }

    private static bool ChainIsAcceptable(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, X509Certificate2Collection? customRoots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
        chain.ChainPolicy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        chain.ChainPolicy.UrlRetrievalTimeout = TimeSpan.FromSeconds(5);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        if (customRoots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(customRoots);
        }

        chain.Build(leaf);
        return chain.ChainStatus.All(s => (s.Status & ~Tolerated) == X509ChainStatusFlags.NoError);
    }
}
