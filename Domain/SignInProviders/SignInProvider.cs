namespace MailAccounts.Domain.SignInProviders;

/// <summary>An OAuth client the organisation registered with a provider, which the account form offers as "Sign in with …".</summary>
public sealed record SignInProvider(
    Guid Id,
    SignInProviderKind Kind,
    string Name,
    string ClientId,
    Guid ClientSecretId,
    string Tenant,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string Scopes)
{
    /// <summary>The setting whose value is a secret's reference: the history says only that it changed.</summary>
    public const string ClientSecretSetting = "ClientSecret";

    /// <summary>The events <see cref="Evolve"/> reads.</summary>
    public static IReadOnlyList<Type> ChangedBy { get; } = [typeof(SignInProviderConfigured)];

    public static SignInProvider? Evolve(SignInProvider? state, object @event) => @event switch
    {
        SignInProviderConfigured e => new SignInProvider(
            e.ProviderId, e.Kind, e.Name, e.ClientId, e.ClientSecretId, e.Tenant, e.AuthorizationEndpoint, e.TokenEndpoint, e.Scopes),
        _ => state,
    };

    public static IReadOnlyList<KeyValuePair<string, string>> Settings(SignInProvider? state) => state is null
        ? []
        :
        [
            new("Kind", state.Kind.ToString()),
            new("Name", state.Name),
            new("ClientId", state.ClientId),
            new(ClientSecretSetting, state.ClientSecretId.ToString()),
            new("Tenant", state.Tenant),
            new("AuthorizationEndpoint", state.AuthorizationEndpoint),
            new("TokenEndpoint", state.TokenEndpoint),
            new("Scopes", state.Scopes),
        ];
}
