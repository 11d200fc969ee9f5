using System.Text.Json;
using System.Text.Json.Serialization;
using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// The servers of a well-known mail provider, and what its users must do before a mail program may sign in.
/// <paramref name="FilesSentMail"/>: the provider puts what its SMTP server sends into the Sent folder itself.
/// <paramref name="AppPassword"/>: a mail program signs in with an app password, not the account's usual one.
/// <paramref name="MxDomains"/>: the domains its MX hosts lie under, so that a domain it hosts (Google Workspace,
/// Microsoft 365, Yandex 360, VK WorkMail) is recognised by its MX records.
/// <paramref name="NeedsOAuth2"/>: the provider refuses passwords from mail programs and wants OAuth2, which the form
/// cannot do yet: it says so.
/// </summary>
public sealed record ProviderPreset(
    string Id,
    string Name,
    IReadOnlyList<string> Domains,
    ServerEndpoint Imap,
    ServerEndpoint? Pop3,
    ServerEndpoint Smtp,
    string? NoteEn,
    string? NoteRu,
    bool FilesSentMail = false,
    bool AppPassword = false,
    IReadOnlyList<string>? MxDomains = null,
    bool NeedsOAuth2 = false)
{
    /// <summary>The note in Russian for <c>ru</c> (English when there is none), otherwise in English.</summary>
    public string? Note(string twoLetterLanguage) =>
        string.Equals(twoLetterLanguage, "ru", StringComparison.OrdinalIgnoreCase) ? NoteRu ?? NoteEn : NoteEn;
}

/// <summary>The provider presets, read once from <c>Mail/providers.json</c> embedded in this assembly.</summary>
public static class ProviderPresets
{
    internal const string ResourceName = "MailAccounts.Infrastructure.Mail.providers.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Lazy<Catalogue> Loaded = new(Load);

    public static IReadOnlyList<ProviderPreset> All => Loaded.Value.Presets;

    /// <summary>The preset with this id, whatever its case; null when there is none.</summary>
    public static ProviderPreset? ById(string id) =>
        Loaded.Value.Presets.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The preset whose domains include the part of <paramref name="address"/> after its last '@', whatever its case; null for an unknown domain or an address that is not one.</summary>
    public static ProviderPreset? ForAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var trimmed = address.Trim();
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            return null;
        }

        return Loaded.Value.ByDomain.GetValueOrDefault(trimmed[(at + 1)..]);
    }

    /// <summary>The provider of a login (by its domain) or, failing that, of a server (by its host name); null for neither.</summary>
    public static ProviderPreset? ForLoginOrServer(string? login, string? host) => ForAddress(login)
        ?? Loaded.Value.Presets.FirstOrDefault(p => host is not null && new[] { p.Imap.Host, p.Pop3?.Host, p.Smtp.Host }
            .Any(h => string.Equals(h, host, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The provider hosting a domain whose MX records are these (the first by preference that lies under a preset's MX domains).</summary>
    public static ProviderPreset? ForMx(IEnumerable<MailAccounts.Domain.Discovery.MxAnswer> answers) =>
        MailAccounts.Domain.Discovery.DnsRecords.MatchMx(answers, Loaded.Value.Presets.SelectMany(p => p.MxDomains ?? []))
            is { MatchedDomain: var matched }
            ? Loaded.Value.Presets.First(p => (p.MxDomains ?? []).Contains(matched, StringComparer.OrdinalIgnoreCase))
            : null;

    /// <summary>Whether the provider whose incoming server this is files sent mail itself, so that a copy appended by us would be a second one.</summary>
    public static bool FilesSentMail(string incomingHost) => Loaded.Value.Presets.Any(p => p.FilesSentMail
        && (string.Equals(p.Imap.Host, incomingHost, StringComparison.OrdinalIgnoreCase) || string.Equals(p.Pop3?.Host, incomingHost, StringComparison.OrdinalIgnoreCase)));

    private static Catalogue Load()
    {
        using var stream = typeof(ProviderPresets).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        var file = JsonSerializer.Deserialize<PresetsFile>(stream, Options)
            ?? throw new InvalidOperationException($"{ResourceName} is empty.");

        var byDomain = new Dictionary<string, ProviderPreset>(StringComparer.OrdinalIgnoreCase);
        foreach (var preset in file.Providers)
        {
            foreach (var domain in preset.Domains)
            {
                byDomain.TryAdd(domain, preset);
            }
        }

        return new Catalogue(file.Providers, byDomain);
    }

    private sealed record PresetsFile(IReadOnlyList<ProviderPreset> Providers);

    private sealed record Catalogue(IReadOnlyList<ProviderPreset> Presets, IReadOnlyDictionary<string, ProviderPreset> ByDomain);
}
