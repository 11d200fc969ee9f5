using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.History;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.History;

/// <summary>The history of one registered sign-in provider, for administrators (the /Admin folder's rule).</summary>
public static class SignInProviderHistory
{
    public static async Task<HistorySubject?> FindAsync(IQuerySession session, IStringLocalizer text, Guid id, CancellationToken cancellationToken) =>
        await session.LoadAsync<SignInProvider>(id, cancellationToken) is { } provider
            ? new HistorySubject(provider.Name, HistorySource.SignInProvider(id), (_, _) => Task.FromResult<Func<SettingChange, DescribedChange>>(c => Describe(text, c)),
                $"/Admin/SignInProviders/History/{id}", $"sign-in-provider-{id}-history")
            : null;

    private static DescribedChange Describe(IStringLocalizer text, SettingChange change) => change.Setting == SignInProvider.ClientSecretSetting
        ? new(text["SignInProvider.ClientSecret"].Value, null, change.After is null || change.After.Length == 0 ? null : text["History.SecretChanged"].Value)
        : change.Setting == "Kind"
            ? new(text["SignInProvider.Kind"].Value, Kind(text, change.Before), Kind(text, change.After))
            : new(text["SignInProvider." + change.Setting].Value, text.Value(change.Before), text.Value(change.After));

    private static string? Kind(IStringLocalizer text, string? kind) => kind is null ? null : text["SignInProvider.Kind." + kind].Value;
}
