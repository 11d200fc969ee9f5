using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.Extensions.DependencyInjection;
using MailAccounts.Domain.SignInProviders;

namespace MailAccounts.Infrastructure.SignInProviders;

public static class Configuration
{
    public static StoreOptions ConfigureSignInProviders(this StoreOptions options)
    {
        options.Projections.Add(new SignInProviderProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<PendingSignIn>();
        options.Schema.For<ReturnedSignIn>().Index(s => s.ExpiresAt);
        return options;
    }

    /// <summary>The token endpoint's client (no retries: a refresh token redeemed twice is refused) and the accounts' tokens.</summary>
    public static IServiceCollection AddSignInProviders(this IServiceCollection services)
    {
        services.AddHttpClient(TokenEndpoint.ClientName, client => client.Timeout = TimeSpan.FromSeconds(20));
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<AccountTokens>();
        services.AddSingleton<SignIns>();
        return services;
    }
}

/// <summary>Marten's entry to the pure <see cref="SignInProvider.Evolve"/>.</summary>
public sealed class SignInProviderProjection : SingleStreamProjection<SignInProvider, Guid>
{
    public SignInProviderProjection() => IncludedEventTypes.AddRange(SignInProvider.ChangedBy);

    public override SignInProvider? Evolve(SignInProvider? snapshot, Guid id, IEvent e) => SignInProvider.Evolve(snapshot, e.Data);
}
