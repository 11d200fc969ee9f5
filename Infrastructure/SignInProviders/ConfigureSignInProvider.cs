using Marten;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Secrets;

namespace MailAccounts.Infrastructure.SignInProviders;

/// <summary>
/// An administrator registers an OAuth client with a provider (a new <paramref name="ProviderId"/>) or changes one;
/// an empty <paramref name="ClientSecret"/> keeps the stored one.
/// </summary>
public sealed record ConfigureSignInProvider(
    Guid ActorId, Guid ProviderId, SignInProviderKind Kind, string? Name, string? ClientId, Secret? ClientSecret,
    string? Tenant, string? AuthorizationEndpoint, string? TokenEndpoint, string? Scopes)
{
    public bool HasClientSecret => ClientSecret is not null && ClientSecret.Reveal().Length > 0;
}

public static class ConfigureSignInProviderHandler
{
    public static Task<Outcome> Handle(ConfigureSignInProvider command, IDocumentSession session, SecretVault vault, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Guid? secretId = command.HasClientSecret ? Guid.CreateVersion7() : null;
        var form = new SignInProviderForm(command.Kind, command.Name, command.ClientId, secretId, command.Tenant,
            command.AuthorizationEndpoint, command.TokenEndpoint, command.Scopes);
        return Users.Administrators.DecideAsync<SignInProvider>(session, command.ActorId, command.ProviderId,
            provider => SignInProviderDecisions.Configure(command.ProviderId, provider, form, SignInProviderPresets.For(command.Kind), command.ActorId, now),
            cancellationToken,
            accepted: (provider, decision) =>
            {
                // The secret typed is stored, and the one it replaced deleted, with the event that refers to the new one.
                if (decision.Events.OfType<SignInProviderConfigured>().LastOrDefault() is not { } configured)
                {
                    return;
                }

                if (secretId is { } secret)
                {
                    vault.Store(session, secret, Guid.Empty, command.ClientSecret!.Reveal());
                }

                if (provider?.ClientSecretId is { } old && old != configured.ClientSecretId)
                {
                    vault.Forget(session, old);
                }
            });
    }
}

public static class SignInProviderQueries
{
    public static async Task<IReadOnlyList<SignInProvider>> AllAsync(IQuerySession session, CancellationToken cancellationToken) =>
        [.. (await session.Query<SignInProvider>().ToListAsync(cancellationToken)).OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase)];
}
