using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace MailAccounts.Infrastructure.Import;

public static class ImportServices
{
    public const string ImportQueue = "import";

    /// <summary>The import engine and what it reads.</summary>
    public static IServiceCollection AddImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(OptionsOf(configuration));
        services.AddSingleton<LetterIntake>();
        services.AddSingleton<ImportEngine>();
        return services;
    }

    /// <summary>
    /// Imports run on a durable local queue of their own (waiting in PostgreSQL across restarts), at most
    /// <see cref="ImportOptions.Workers"/> at once; the account's advisory lock keeps each account to one worker of one host.
    /// </summary>
    public static WolverineOptions RouteImports(this WolverineOptions options, IConfiguration? configuration)
    {
        options.LocalQueue(ImportQueue).MaximumParallelMessages(Math.Max(1, OptionsOf(configuration).Workers));
        options.PublishMessage<ImportAccount>().ToLocalQueue(ImportQueue);
        options.PublishMessage<ImportUids>().ToLocalQueue(ImportQueue);
        return options;
    }

    private static ImportOptions OptionsOf(IConfiguration? configuration) =>
        configuration?.GetSection(ImportOptions.Section).Get<ImportOptions>() ?? new ImportOptions();
}
