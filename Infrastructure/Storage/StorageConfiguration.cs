using JasperFx;
using JasperFx.Events;
using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;
using Wolverine.Marten;

namespace MailAccounts.Infrastructure.Storage;

public static class StorageConfiguration
{
    public const string Schema = "mailaccounts";

    /// <summary>Marten for events and documents, integrated with Wolverine so that a handler's writes and messages commit together.</summary>
    public static IServiceCollection AddMailAccountsStorage(this IServiceCollection services, string connectionString)
    {
        services.AddMarten(options =>
            {
                options.Connection(connectionString);
                options.DatabaseSchemaName = Schema;
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.ConfigureSecrets();
                options.ConfigureUsers();
                options.ConfigureAccounts();
                options.ConfigureOutgoingServers();
                options.ConfigureMailSettings();
                options.ConfigureSending();
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine();
        services.AddSecrets();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Diagnostics.ProjectionRebuild>();
        return services;
    }

    public static WolverineOptions ConfigureMailAccounts(this WolverineOptions options)
    {
        options.Discovery.IncludeAssembly(typeof(StorageConfiguration).Assembly);
        options.Policies.AutoApplyTransactions();
        // Scheduled mail checks and other local work survive a restart: they wait in PostgreSQL, not in memory.
        options.Policies.UseDurableLocalQueues();
        return options;
    }
}
