using MailAccounts.Domain.Accounts;
using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.General;

/// <summary>The history of the signed-in user's general settings, newest first.</summary>
public sealed class HistoryModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public IHtmlContent Entries { get; private set; } = HtmlString.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var history = await SettingsHistory.LoadAsync<MailSettings>(session, MailSettings.StreamFor(User.Id()), MailSettings.Evolve, MailSettings.Settings, cancellationToken);
        var accounts = (await AccountQueries.ListAsync(session, User.Viewer(), AccountUse.Use, cancellationToken)).ToDictionary(a => a.Id.ToString(), a => a.Title);
        var entries = history.Select(e => new
        {
            When = e.At.Display(),
            WhenIso = e.At.ToUniversalTime().ToString("O"),
            What = text["Event." + e.EventType].Value,
            Outcome = "",
            Who = e.By == Actors.System ? text["History.System"].Value : e.ByName,
            Changes = e.Changes.Select(c => new { Setting = SettingName(c.Setting, accounts), Before = text.Value(c.Before), After = text.Value(c.After) }).ToArray(),
        });
        Entries = templates.View("AccountHistory", text, entries.ToArray(),
            "History.When", "History.Who", "History.What", "History.Changes", "History.Empty", "Common.Empty");
    }

    private string SettingName(string setting, IReadOnlyDictionary<string, string> accounts)
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
