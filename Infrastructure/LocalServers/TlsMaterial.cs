using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>
/// A private certificate authority and a server certificate it signed, as PEM files for Dovecot and Postfix.
/// The app trusts the authority through its own setting, never through the machine's store.
/// The private mail server also keeps a second set, from an authority nobody trusts, for its "untrusted" address.
/// </summary>
public sealed record TlsMaterial(string AuthorityCertificatePath, string ServerCertificatePath, string ServerKeyPath)
{
    public static TlsMaterial CreateOrReuse(string folder, string authorityName, IReadOnlyList<string> hostNames)
    {
        var material = new TlsMaterial(
            Path.Combine(folder, "ca.pem"), Path.Combine(folder, "server.pem"), Path.Combine(folder, "server.key"));
        if (material.IsValidFor(TimeSpan.FromDays(7), hostNames))
        {
            return material;
        }

        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);

        using var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest($"CN={authorityName}", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        using var authority = authorityRequest.CreateSelfSigned(now, now.AddYears(2));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest($"CN={hostNames[0]}", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames)
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        using var server = serverRequest.Create(authority, now, now.AddYears(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(material.AuthorityCertificatePath, authority.ExportCertificatePem() + "\n");
        File.WriteAllText(material.ServerCertificatePath, server.ExportCertificatePem() + "\n");
        File.WriteAllText(material.ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.SetUnixFileMode(material.ServerKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return material;
    }

    public X509Certificate2 LoadAuthority() => X509Certificate2.CreateFromPem(File.ReadAllText(AuthorityCertificatePath));

    /// <summary>Still valid for a while, and for every host name asked for (names can change between starts).</summary>
    private bool IsValidFor(TimeSpan margin, IReadOnlyList<string> hostNames)
    {
        if (!File.Exists(AuthorityCertificatePath) || !File.Exists(ServerCertificatePath) || !File.Exists(ServerKeyPath))
        {
            return false;
        }

        using var server = X509Certificate2.CreateFromPem(File.ReadAllText(ServerCertificatePath));
        using var authority = LoadAuthority();
        return server.NotAfter > DateTime.Now + margin && authority.NotAfter > DateTime.Now + margin
            && hostNames.All(host => server.MatchesHostname(host, allowWildcards: false, allowCommonName: false));
    }
}
