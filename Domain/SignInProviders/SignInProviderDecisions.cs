using System.Text.RegularExpressions;
using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.SignInProviders;

/// <summary>Stable codes for refused provider input; the web host translates them.</summary>
public static class SignInProviderViolations
{
    public const string NameRequired = "SignInProvider.NameRequired";
    public const string NameTooLong = "SignInProvider.NameTooLong";
    public const string ClientIdRequired = "SignInProvider.ClientIdRequired";
    public const string ClientIdInvalid = "SignInProvider.ClientIdInvalid";
    public const string ClientSecretRequired = "SignInProvider.ClientSecretRequired";
    public const string TenantInvalid = "SignInProvider.TenantInvalid";
    public const string EndpointInvalid = "SignInProvider.EndpointInvalid";
    public const string ScopesRequired = "SignInProvider.ScopesRequired";
    public const string ScopesInvalid = "SignInProvider.ScopesInvalid";
    public const string KindInvalid = "SignInProvider.KindInvalid";
    public const string KindFixed = "SignInProvider.KindFixed";
}

/// <summary>A provider's documented endpoints and scopes; a Microsoft endpoint holds <c>{tenant}</c>.</summary>
public sealed record SignInProviderPreset(SignInProviderKind Kind, string AuthorizationEndpoint, string TokenEndpoint, string Scopes);

/// <summary>
/// What the form says. For the four big providers the endpoints and scopes come from their preset and the typed ones
/// are ignored; a null <paramref name="NewClientSecretId"/> keeps the stored secret.
/// </summary>
public sealed record SignInProviderForm(
    SignInProviderKind Kind,
    string? Name,
    string? ClientId,
    Guid? NewClientSecretId,
    string? Tenant = null,
    string? AuthorizationEndpoint = null,
    string? TokenEndpoint = null,
    string? Scopes = null);

public static partial class SignInProviderDecisions
{
    public const int MaxNameLength = 100;
    public const string DefaultTenant = "common";

    /// <summary>
    /// Registers a provider or changes one. Its kind stays what it was registered as (another kind is another client);
    /// an unchanged form appends nothing.
    /// </summary>
    public static Decision Configure(Guid providerId, SignInProvider? current, SignInProviderForm form, SignInProviderPreset? preset, Guid by, DateTimeOffset at)
    {
        var violations = new List<Violation>();
        if (!Enum.IsDefined(form.Kind) || (form.Kind != SignInProviderKind.Generic && preset?.Kind != form.Kind))
        {
            return Decision.Reject([new("Kind", SignInProviderViolations.KindInvalid)]);
        }

        if (current is not null && current.Kind != form.Kind)
        {
            violations.Add(new("Kind", SignInProviderViolations.KindFixed));
        }

        var name = (form.Name ?? "").Trim();
        if (name.Length == 0)
        {
            violations.Add(new(nameof(form.Name), SignInProviderViolations.NameRequired));
        }
        else if (name.Length > MaxNameLength)
        {
            violations.Add(new(nameof(form.Name), SignInProviderViolations.NameTooLong));
        }

        var clientId = (form.ClientId ?? "").Trim();
        if (clientId.Length == 0)
        {
            violations.Add(new(nameof(form.ClientId), SignInProviderViolations.ClientIdRequired));
        }
        else if (clientId.Length > 500 || clientId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            violations.Add(new(nameof(form.ClientId), SignInProviderViolations.ClientIdInvalid));
        }

        var secret = form.NewClientSecretId ?? current?.ClientSecretId;
        if (secret is null)
        {
            violations.Add(new("ClientSecret", SignInProviderViolations.ClientSecretRequired));
        }

        var tenant = "";
        if (form.Kind == SignInProviderKind.Microsoft)
        {
            tenant = string.IsNullOrWhiteSpace(form.Tenant) ? DefaultTenant : form.Tenant.Trim().ToLowerInvariant();
            if (!Tenant().IsMatch(tenant))
            {
                violations.Add(new(nameof(form.Tenant), SignInProviderViolations.TenantInvalid));
            }
        }

        string authorization, token, scopes;
        if (form.Kind == SignInProviderKind.Generic)
        {
            authorization = (form.AuthorizationEndpoint ?? "").Trim();
            token = (form.TokenEndpoint ?? "").Trim();
            scopes = string.Join(' ', (form.Scopes ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (!IsEndpoint(authorization))
            {
                violations.Add(new(nameof(form.AuthorizationEndpoint), SignInProviderViolations.EndpointInvalid));
            }

            if (!IsEndpoint(token))
            {
                violations.Add(new(nameof(form.TokenEndpoint), SignInProviderViolations.EndpointInvalid));
            }

            if (scopes.Length == 0)
            {
                violations.Add(new(nameof(form.Scopes), SignInProviderViolations.ScopesRequired));
            }
            else if (scopes.Length > 1000 || scopes.Any(c => c is '"' or '\\' || char.IsControl(c)))
            {
                violations.Add(new(nameof(form.Scopes), SignInProviderViolations.ScopesInvalid));
            }
        }
        else
        {
            authorization = preset!.AuthorizationEndpoint.Replace("{tenant}", tenant, StringComparison.Ordinal);
            token = preset.TokenEndpoint.Replace("{tenant}", tenant, StringComparison.Ordinal);
            scopes = preset.Scopes;
        }

        if (violations.Count > 0)
        {
            return Decision.Reject(violations);
        }

        var next = new SignInProvider(providerId, form.Kind, name, clientId, secret!.Value, tenant, authorization, token, scopes);
        return next == current
            ? Decision.Accept()
            : Decision.Accept(new SignInProviderConfigured(providerId, form.Kind, name, clientId, secret.Value, tenant, authorization, token, scopes, by, at));
    }

    /// <summary>
    /// An absolute https address without user info or fragment; plain http only on loopback, where a provider of one's
    /// own (the local demo's) runs without a certificate. Where it may point is the product's network policy's to say
    /// when it is used.
    /// </summary>
    public static bool IsEndpoint(string value) =>
        value.Length <= 2000
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && uri.UserInfo.Length == 0 && uri.Fragment.Length == 0
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    // A tenant is "common", "organizations", "consumers", a directory's GUID or one of its domain names.
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,99}$")]
    private static partial Regex Tenant();
}
