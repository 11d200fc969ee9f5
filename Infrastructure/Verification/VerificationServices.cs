using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace MailAccounts.Infrastructure.Verification;

/// <summary>
/// A check of an account asks for its bounces to be read: after the counts are saved, on a durable local queue of its
/// own, so that neither the check's page nor an import waits on it.
/// </summary>
public sealed record ScanForBounces(Guid AccountId);

public static class ScanForBouncesHandler
{
    public static async Task Handle(ScanForBounces message, BounceScanner scanner, CancellationToken cancellationToken) =>
        await scanner.ScanAsync(message.AccountId, cancellationToken);
}

public static class VerificationServices
{
    public const string Queue = "verification";

    public static IServiceCollection AddVerification(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(OptionsOf(configuration));
        services.AddSingleton<BounceScanner>();
        return services;
    }

    /// <summary>Two accounts read at once at most: reading is light, and the servers' connections are the pool's to share.</summary>
    public static WolverineOptions RouteVerification(this WolverineOptions options)
    {
        options.LocalQueue(Queue).MaximumParallelMessages(2);
        options.PublishMessage<ScanForBounces>().ToLocalQueue(Queue);
        return options;
    }

    private static VerificationOptions OptionsOf(IConfiguration? configuration) =>
        configuration?.GetSection(VerificationOptions.Section).Get<VerificationOptions>() ?? new VerificationOptions();
}
