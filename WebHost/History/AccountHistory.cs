using System.Globalization;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.SignInProviders;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.History;

/// <summary>
/// The history of one account, for those <see cref="AccountAccess"/> lets audit it. The web page and the event-store
/// benchmark both find it here and build it with <see cref="HistoryPage"/>.
/// </summary>
public static class AccountHistory
{
    /// <summary>The account's history, or null when it does not exist or the viewer may not audit it (the page then answers 404).</summary>
    public static async Task<HistorySubject?> FindAsync(IQuerySession session, IStringLocalizer text, Guid id, Actor viewer, CancellationToken cancellationToken) =>
        await AccountQueries.FindAsync(session, id, viewer, AccountUse.Audit, cancellationToken) is { } account
            ? new HistorySubject(account.Title, HistorySource.Account(id), (history, token) => DescriberAsync(session, text, history, viewer.UserId, token),
                $"/Email/Settings/Accounts/History/{id}", $"account-{id}-history")
            : null;

    /// <summary>
    /// Names for the ids the changes hold. The people given access are those the history's own access changes name:
    /// every grant adds one, so the stream need not be fetched again to find them.
    /// </summary>
    private static async Task<Func<SettingChange, DescribedChange>> DescriberAsync(
        IQuerySession session, IStringLocalizer text, IReadOnlyList<HistoryEntry> history, Guid viewerId, CancellationToken cancellationToken)
    {
        var grantees = history.SelectMany(e => e.Changes).Select(c => c.Setting)
            .Where(s => s.StartsWith(Account.AccessSetting, StringComparison.Ordinal))
            .Select(s => Guid.Parse(s.AsSpan(Account.AccessSetting.Length))).Distinct().ToArray();
        var users = (await session.LoadManyAsync<User>(cancellationToken, grantees)).ToDictionary(u => u.Id.ToString(), u => u.DisplayName);
        var signatures = (await MailSettingsQueries.ForUserAsync(session, viewerId, cancellationToken)).Signatures.ToDictionary(s => s.Id.ToString(), s => s.Name);
        var servers = (await OutgoingServerQueries.VisibleToAsync(session, viewerId, cancellationToken)).ToDictionary(s => s.Id.ToString(), s => s.Label);
        var providers = (await SignInProviderQueries.AllAsync(session, cancellationToken)).ToDictionary(p => p.Id.ToString(), p => p.Name);
        return change => Describe(text, change, servers, signatures, users, providers);
    }

    /// <summary>A change as a person reads it: secrets only as "changed", servers by name, certificates by host.</summary>
    private static DescribedChange Describe(
        IStringLocalizer text, SettingChange change,
        IReadOnlyDictionary<string, string> servers, IReadOnlyDictionary<string, string> signatures, IReadOnlyDictionary<string, string> users,
        IReadOnlyDictionary<string, string> providers)
    {
        if (change.Setting.StartsWith(Account.AccessSetting, StringComparison.Ordinal))
        {
            var user = change.Setting[Account.AccessSetting.Length..];
            string? Access(string? value) => value is null ? null : text["AdminAccounts.Granted"].Value;
            return new($"{text["AdminAccounts.Access"].Value}: {users.GetValueOrDefault(user, user)}", Access(change.Before), Access(change.After));
        }

        if (change.Setting == Account.TokenSetting)
        {
            return new(text["Account.Token"].Value, null, change.After is null ? null : text["History.SecretChanged"].Value);
        }

        if (change.Setting == Account.SignInProviderSetting)
        {
            return new(text["Account.SignInProvider"].Value, change.Before is { } before ? providers.GetValueOrDefault(before, before) : null,
                change.After is { } after ? providers.GetValueOrDefault(after, after) : null);
        }

        const string trusted = "TrustedCertificate:";
        if (change.Setting == Account.PasswordSetting)
        {
            return new(text["Account.Password"].Value, null, change.After is null ? null : text["History.PasswordChanged"].Value);
        }

        if (change.Setting.StartsWith(trusted, StringComparison.Ordinal))
        {
            return new(string.Format(text["Account.TrustedCertificate"].Value, change.Setting[trusted.Length..]), change.Before, change.After);
        }

        if (change.Setting == nameof(Account.SignatureId))
        {
            string? Signature(string? id) => id switch
            {
                null => null,
                "" => text["Account.DefaultSignature"].Value,
                _ => signatures.GetValueOrDefault(id, id),
            };
            return new(text["Account.Signature"].Value, Signature(change.Before), Signature(change.After));
        }

        if (change.Setting == "OutgoingServer")
        {
            string? Server(string? id) => id switch
            {
                null => null,
                "" => text["Outgoing.SystemDefault"].Value,
                _ => servers.GetValueOrDefault(id, id),
            };
            return new(text["Account.OutgoingServer"].Value, Server(change.Before), Server(change.After));
        }

        if (change.Setting == Account.ImportSetting)
        {
            string? Import(string? value) => value switch
            {
                null => null,
                "on" => text["History.ImportOn"].Value,
                _ => text["History.ImportOff"].Value,
            };
            return new(text["Account.Import"].Value, Import(change.Before), Import(change.After));
        }

        if (change.Setting == Account.ImportFoldersSetting)
        {
            string? Folders(string? value) => value is "" ? text["Import.MonitoredFolders"].Value : value;
            return new(text["Account.ImportFolders"].Value, Folders(change.Before), Folders(change.After));
        }

        if (change.Setting == Account.ImportSinceSetting)
        {
            // A day, in the reader's language ("1 November 2026", "1 ноября 2026"); none is all mail.
            string? Since(string? value) => value switch
            {
                null => null,
                "" => text["History.ImportAllMail"].Value,
                _ => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    ? day.ToString("d MMMM yyyy", CultureInfo.CurrentCulture)
                    : value,
            };
            return new(text["Account.ImportSince"].Value, Since(change.Before), Since(change.After));
        }

        return new(text["Account." + change.Setting].Value, text.Value(change.Before), text.Value(change.After));
    }
}
