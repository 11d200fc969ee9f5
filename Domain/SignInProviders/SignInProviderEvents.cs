using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.SignInProviders;

/// <summary>Whose OAuth client it is: the four big providers have documented endpoints; Generic names its own.</summary>
public enum SignInProviderKind
{
    Google,
    Microsoft,
    Yandex,
    MailRu,
    Generic,
}

/// <summary>
/// An administrator registered the organisation's OAuth client with a provider, or changed it. Every event holds the
/// whole registration; the client secret is only a reference to the encrypted secret in the vault.
/// </summary>
public sealed record SignInProviderConfigured(
    Guid ProviderId,
    SignInProviderKind Kind,
    string Name,
    string ClientId,
    Guid ClientSecretId,
    string Tenant,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string Scopes,
    Guid By,
    DateTimeOffset At) : IAuditedEvent;
