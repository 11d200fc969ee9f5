using JasperFx;
using JasperFx.Events;
using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
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
                options.Connection(WithAutoPrepare(connectionString));
                options.DatabaseSchemaName = Schema;
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.ConfigureSecrets();
                options.ConfigureUsers();
                options.ConfigureAccounts();
                options.ConfigureOutgoingServers();
                SignInProviders.Configuration.ConfigureSignInProviders(options);
                options.ConfigureMailSettings();
                options.ConfigureSending();
                options.ConfigureImport();
                MailAccounts.Infrastructure.Contacts.Configuration.ConfigureContacts(options);
                MailAccounts.Infrastructure.Verification.Configuration.ConfigureVerification(options);

                // Every event type known before the first append: a store that has only read so far still finds an
                // old row by its stored name, not by a .NET class name that a move or rename would break.
                options.Events.AddEventTypes(typeof(MailAccounts.Domain.Common.IAuditedEvent).Assembly.GetTypes()
                    .Where(t => t is { IsClass: true, IsAbstract: false }
                        && (typeof(MailAccounts.Domain.Common.IAuditedEvent).IsAssignableFrom(t) || typeof(MailAccounts.Domain.Import.IImportEvent).IsAssignableFrom(t)
                            || typeof(MailAccounts.Domain.Verification.IVerificationEvent).IsAssignableFrom(t))));
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine();
        services.AddSecrets();
        SignInProviders.Configuration.AddSignInProviders(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new Common.UniqueIndexRefusals(
            Accounts.Configuration.UniqueIndexRefusals.Concat(Users.Configuration.UniqueIndexRefusals).Concat(Contacts.AddressClaims.UniqueIndexRefusals)));
        services.AddScoped<Common.Commands>();
        services.AddSingleton<Common.FormSeal>();
        services.AddSingleton<Diagnostics.ProjectionRebuild>();
        return services;
    }

    /// <summary>
    /// Npgsql prepares a statement once it has run a few times on a connection (five, by default) and keeps it while
    /// the connection lives in the pool. Every command the product repeats (appending to a stream, upserting a view, loading documents by id)
    /// is then parsed and planned by PostgreSQL once per connection instead of at every call: the event-store
    /// benchmark measured a third less of PostgreSQL's time per append and half the time of a command. A connection
    /// string that sets its own limit keeps it.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        return builder.ConnectionString;
    }

    public static WolverineOptions ConfigureMailAccounts(this WolverineOptions options, IConfiguration? configuration = null)
    {
        options.Discovery.IncludeAssembly(typeof(StorageConfiguration).Assembly);
        options.Policies.AutoApplyTransactions();
        var mail = configuration?.GetSection(Mail.MailOptions.Section).Get<Mail.MailOptions>() ?? new Mail.MailOptions();
        options.Policies.Add(new SendingFailurePolicy(mail.RetryDelays));
        // Scheduled mail checks and other local work survive a restart: they wait in PostgreSQL, not in memory.
        options.Policies.UseDurableLocalQueues();
        options.RouteImports(configuration);
        MailAccounts.Infrastructure.Verification.VerificationServices.RouteVerification(options);
        return options;
    }
}
