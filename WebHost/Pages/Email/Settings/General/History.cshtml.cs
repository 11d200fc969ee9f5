using MailAccounts.Domain.Accounts;
using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.General;

/// <summary>The history of the signed-in user's general settings, newest first.</summary>
public sealed class HistoryModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public IHtmlContent Entries { get; private set; } = HtmlString.Empty;

    public async Task OnGetAsync(string? kind, DateOnly? from, DateOnly? to, long? asOf, long? a, long? b, CancellationToken cancellationToken)
    {
        var accounts = (await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken)).ToDictionary(a => a.Id.ToString(), a => a.Title);
        Entries = await HistoryPages.RenderAsync<MailSettings>(session, templates, text, MailSettings.StreamFor(User.Id()), MailSettings.Evolve, MailSettings.Settings,
            c => new DescribedChange(SettingName(c.Setting, accounts), text.Value(c.Before), text.Value(c.After)),
            new HistoryQuery(kind, from, to, asOf, a, b), "/Email/Settings/General/History", cancellationToken);
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var (content, contentType, name) = await HistoryPages.ExportAsync<MailSettings>(session, MailSettings.StreamFor(User.Id()), MailSettings.Evolve,
            MailSettings.Settings, "", new HistoryQuery(kind, from, to, null, null, null), format ?? "json", "general-settings-history", cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(content), contentType, name);
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
