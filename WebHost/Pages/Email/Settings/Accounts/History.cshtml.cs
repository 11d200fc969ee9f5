using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>What happened to one account, newest first: who, when and what changed.</summary>
public sealed class HistoryModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public string Title { get; private set; } = "";

    public IHtmlContent Entries { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync(
        Guid id, string? kind, DateOnly? from, DateOnly? to, long? asOf, long? a, long? b, CancellationToken cancellationToken)
    {
        if (await AccountHistory.ViewAsync(session, text, id, User.Actor(), new HistoryQuery(kind, from, to, asOf, a, b),
                $"/Email/Settings/Accounts/History/{id}", cancellationToken) is not { } found)
        {
            return NotFound();
        }

        Title = found.Title;
        Entries = found.View.Render(templates);
        return Page();
    }

    /// <summary>The history as JSON or CSV, with the page's filters.</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, id, User.Actor(), AccountUse.Audit, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        var (content, contentType, name) = await HistoryPages.ExportAsync<Account>(session, id, Account.Evolve, Account.Settings, Account.PasswordSetting,
            new HistoryQuery(kind, from, to, null, null, null), format ?? "json", $"account-{id}-history", cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(content), contentType, name);
    }
}
