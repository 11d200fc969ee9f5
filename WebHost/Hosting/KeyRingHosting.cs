using MailAccounts.Infrastructure.Secrets;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// Protects the Data Protection key ring at rest with a certificate kept outside the database: the one configured, or,
/// when <c>DataProtection:CreateCertificate</c> is on (./run.sh), one the host creates once in the data folder.
/// Without either the host still starts, but says loudly that a dump of the database decrypts every mail password.
/// </summary>
internal static class KeyRingHosting
{
    public const string CertificatePathKey = "DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "DataProtection:CertificatePassword";
    public const string PreviousCertificatePathsKey = "DataProtection:PreviousCertificatePaths";
    public const string CreateCertificateKey = "DataProtection:CreateCertificate";

    public const string Unprotected =
        "The Data Protection key ring is not encrypted: anyone with a copy of the database can decrypt every saved mail " +
        $"password. Set {CertificatePathKey} (and {CertificatePasswordKey}), or {CreateCertificateKey}=true.";

    public static void ProtectKeyRing(WebApplicationBuilder builder)
    {
        var path = builder.Configuration[CertificatePathKey];
        var password = builder.Configuration[CertificatePasswordKey];
        if (string.IsNullOrWhiteSpace(path) && builder.Configuration.GetValue<bool>(CreateCertificateKey))
        {
            path = KeyRingCertificate.CreateOnce(Path.Combine(LocalServersHosting.DataFolder(builder), "dataprotection"));
            password = null;
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            Console.WriteLine("MailAccounts: warning: " + Unprotected);
            builder.Services.AddHostedService<UnprotectedKeyRingWarning>();
            return;
        }

        // Keys written under a certificate being replaced stay readable with it; new keys use the current one.
        var previous = builder.Configuration.GetSection(PreviousCertificatePathsKey).Get<string[]>() ?? [];
        builder.Services.ProtectKeyRingWith(
            KeyRingCertificate.Load(path, password), [.. previous.Select(p => KeyRingCertificate.Load(p, password))]);
    }

    private sealed class UnprotectedKeyRingWarning(ILogger<UnprotectedKeyRingWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogWarning("{Warning}", Unprotected);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
