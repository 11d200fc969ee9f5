using System.Security.Cryptography.X509Certificates;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailAccounts.Infrastructure.Secrets;

public static class Configuration
{
    /// <summary>Every host of one installation names the application alike, or they could not read each other's secrets.</summary>
    public const string ApplicationName = "MailAccounts";

    public static StoreOptions ConfigureSecrets(this StoreOptions options)
    {
        options.Schema.For<ProtectedSecret>().Index(s => s.OwnerId);
        options.Schema.For<DataProtectionKey>();
        return options;
    }

    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, UseMartenKeyRing>();
        services.AddSingleton<SecretVault>();
        return services;
    }

    /// <summary>
    /// Encrypts every key the key ring stores from now on with the certificate, and reads keys encrypted with it (or
    /// with one of <paramref name="previous"/>, for a certificate being replaced).
    /// </summary>
    public static IServiceCollection ProtectKeyRingWith(this IServiceCollection services, X509Certificate2 certificate, params X509Certificate2[] previous)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName).ProtectKeysWithCertificate(certificate)
            .UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        return services;
    }

    private sealed class UseMartenKeyRing(IDocumentStore store) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options) => options.XmlRepository = new MartenXmlRepository(store);
    }
}
