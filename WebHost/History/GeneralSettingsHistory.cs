using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.History;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.History;

/// <summary>The history of a user's own general settings: theirs alone, so there is nothing to refuse.</summary>
public static class GeneralSettingsHistory
{
    public const string Path = "/Email/Settings/General/History";

    public static HistorySubject For(IQuerySession session, IStringLocalizer text, Actor viewer) =>
        new(text["Settings.GeneralTab"].Value, HistorySource.GeneralSettings(viewer.UserId), async (_, cancellationToken) =>
        {
            var accounts = (await AccountQueries.ListAsync(session, viewer, AccountUse.Use, cancellationToken)).ToDictionary(a => a.Id.ToString(), a => a.Title);
            return change => new DescribedChange(SettingName(text, change.Setting, accounts), text.Value(change.Before), text.Value(change.After));
        }, Path, "general-settings-history");

    private static string SettingName(IStringLocalizer text, string setting, IReadOnlyDictionary<string, string> accounts)
    {
        var parts = setting.Split(':', 2);
        return parts switch
        {
            ["Signature", _] => text["General.Signature"].Value,
            ["VisibleFolders", var account] => string.Format(text["General.VisibleFoldersOf"].Value, accounts.GetValueOrDefault(account, account)),
            _ => text["General." + setting].Value,
        };
    }
}
