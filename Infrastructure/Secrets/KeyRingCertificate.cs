using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailAccounts.Infrastructure.Secrets;

/// <summary>
/// The certificate that encrypts the Data Protection key ring at rest. The key ring lives in the database beside the
/// secrets it protects; without this certificate, which lives outside the database, a dump of both decrypts nothing.
/// </summary>
public static class KeyRingCertificate
{
    public const string FileName = "keyring.pfx";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>
    /// The certificate in <paramref name="folder"/>, created the first time: a self-signed RSA 3072 key in a .pfx without
    /// a password, readable by this user only (the file's permissions are what protects it, as a password file beside
    /// it would be protected). Several hosts share it by copying the file.
    /// </summary>
    public static string CreateOnce(string folder)
    {
        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, OwnerOnlyFolder);
        }

        var path = Path.Combine(folder, FileName);
        if (File.Exists(path))
        {
            return path;
        }

        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=MailAccounts key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));

        // Written under another name and moved, so that a host never reads half a file, and two hosts starting at once
        // keep the one that got there first.
        var written = Path.Combine(folder, $"{FileName}.{Guid.NewGuid():N}.new");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(written, options))
        {
            stream.Write(certificate.Export(X509ContentType.Pkcs12));
        }

        try
        {
            File.Move(written, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(written);
        }

        return path;
    }

    /// <summary>Reads the certificate with its private key, or says plainly why it cannot.</summary>
    public static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"The key ring's certificate (DataProtection:CertificatePath) cannot be read from {path}: {e.Message} " +
                "Check the path and DataProtection:CertificatePassword.", e);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            certificate.Dispose();
            throw new InvalidOperationException(
                $"The key ring's certificate at {path} has no RSA private key: the key ring could not be read back with it.");
        }

        return certificate;
    }
}
