using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using MailAccounts.Domain.SignInProviders;

namespace MailAccounts.Infrastructure.SignInProviders;

public static class Configuration
{
    public static StoreOptions ConfigureSignInProviders(this StoreOptions options)
    {
        options.Projections.Add(new SignInProviderProjection(), ProjectionLifecycle.Inline);
        return options;
    }
}

/// <summary>Marten's entry to the pure <see cref="SignInProvider.Evolve"/>.</summary>
public sealed class SignInProviderProjection : SingleStreamProjection<SignInProvider, Guid>
{
    public SignInProviderProjection() => IncludedEventTypes.AddRange(SignInProvider.ChangedBy);

    public override SignInProvider? Evolve(SignInProvider? snapshot, Guid id, IEvent e) => SignInProvider.Evolve(snapshot, e.Data);
}
