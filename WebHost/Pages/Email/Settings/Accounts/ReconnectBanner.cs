using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.SignInProviders;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>
/// An account whose provider no longer accepts its sign-in, as Settings » Accounts and the client announce it: what
/// it means, and Reconnect (which starts the provider's sign-in again) for a user who configures the account; a user
/// who only uses a group account is told whom to ask.
/// </summary>
public sealed record ReconnectBanner(Guid AccountId, string Text, bool CanReconnect)
{
    public string ReconnectAction => $"/Email/Settings/Accounts/Edit/{AccountId}?handler=Reconnect";

    public static async Task<IReadOnlyList<ReconnectBanner>> ForAsync(
        IQuerySession session, IStringLocalizer text, IEnumerable<Account> accounts, IReadOnlySet<Guid> configurable, CancellationToken cancellationToken)
    {
        var lost = accounts.Where(a => a.NeedsReconnecting).ToArray();
        if (lost.Length == 0)
        {
            return [];
        }

        var providers = (await SignInProviderQueries.AllAsync(session, cancellationToken)).ToDictionary(p => p.Id, p => p.Name);
        return [.. lost.Select(a => new ReconnectBanner(a.Id,
            string.Format(text[configurable.Contains(a.Id) ? "Accounts.NeedsReconnecting" : "Accounts.NeedsReconnectingAsk"].Value,
                a.Title, providers.GetValueOrDefault(a.Authorisation!.ProviderId, "")),
            configurable.Contains(a.Id)))];
    }
}
