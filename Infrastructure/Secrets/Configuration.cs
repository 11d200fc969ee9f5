using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailAccounts.Infrastructure.Secrets;

public static class Configuration
{
    public static StoreOptions ConfigureSecrets(this StoreOptions options)
    {
        options.Schema.For<ProtectedSecret>().Index(s => s.OwnerId);
        options.Schema.For<DataProtectionKey>();
        return options;
    }

    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("MailAccounts");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, UseMartenKeyRing>();
        services.AddSingleton<SecretVault>();
        return services;
    }

    private sealed class UseMartenKeyRing(IDocumentStore store) : IConfigureOptions<KeyManagementOptions>
    {
        public void Configure(KeyManagementOptions options) => options.XmlRepository = new MartenXmlRepository(store);
    }
}
