using System.Text.Json;
using MailAccounts.Domain.SignInProviders;

namespace MailAccounts.Infrastructure.SignInProviders;

/// <summary>The big providers' documented endpoints and scopes, kept as data in <c>sign-in-providers.json</c>.</summary>
public static class SignInProviderPresets
{
    private static readonly Lazy<IReadOnlyList<SignInProviderPreset>> Presets = new(Load);

    public static IReadOnlyList<SignInProviderPreset> All => Presets.Value;

    public static SignInProviderPreset? For(SignInProviderKind kind) => All.FirstOrDefault(p => p.Kind == kind);

    private static IReadOnlyList<SignInProviderPreset> Load()
    {
        using var stream = typeof(SignInProviderPresets).Assembly.GetManifestResourceStream("MailAccounts.Infrastructure.SignInProviders.sign-in-providers.json")
            ?? throw new InvalidOperationException("sign-in-providers.json is not embedded in the assembly.");
        using var json = JsonDocument.Parse(stream);
        return [.. json.RootElement.GetProperty("providers").EnumerateArray().Select(p => new SignInProviderPreset(
            Enum.Parse<SignInProviderKind>(p.GetProperty("kind").GetString()!),
            p.GetProperty("authorizationEndpoint").GetString()!,
            p.GetProperty("tokenEndpoint").GetString()!,
            p.GetProperty("scopes").GetString()!))];
    }
}
