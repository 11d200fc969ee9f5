using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Server = MailAccounts.Domain.Outgoing.OutgoingServer;

namespace MailAccounts.WebHost.Pages.Email.Settings.OutgoingServers;

/// <summary>
/// The history of one outgoing server: a user's own, or, for administrators, the system's default. Anyone else
/// gets 404, as for what does not exist.
/// </summary>
public sealed class HistoryModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public string Title { get; private set; } = "";

    public IHtmlContent Entries { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync(
        Guid id, string? kind, DateOnly? from, DateOnly? to, long? asOf, long? a, long? b, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } server)
        {
            return NotFound();
        }

        Title = server.Label;
        Entries = await HistoryPages.RenderAsync<Server>(session, templates, text, id, Server.Evolve, Server.Settings, Describe,
            new HistoryQuery(kind, from, to, asOf, a, b), $"/Email/Settings/OutgoingServers/History/{id}", cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is null)
        {
            return NotFound();
        }

        var (content, contentType, name) = await HistoryPages.ExportAsync<Server>(session, id, Server.Evolve, Server.Settings, Account.PasswordSetting,
            new HistoryQuery(kind, from, to, null, null, null), format ?? "json", $"outgoing-server-{id}-history", cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(content), contentType, name);
    }

    private async Task<Server?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await session.LoadAsync<Server>(id, cancellationToken) is { } server
            && (server.OwnerId == User.Id() || (server.IsSystemDefault && User.IsAdministrator()))
            ? server
            : null;

    private DescribedChange Describe(SettingChange change) => change.Setting == Account.PasswordSetting
        ? new(text["Account.Password"].Value, null, change.After is null || change.After.Length == 0 ? null : text["History.PasswordChanged"].Value)
        : new(change.Setting == "Port" ? text["Account.Port"].Value : text["Outgoing." + change.Setting].Value, text.Value(change.Before), text.Value(change.After));
}
