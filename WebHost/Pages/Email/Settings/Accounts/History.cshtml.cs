using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
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

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindVisibleToAsync(session, id, User.Id(), cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        Title = account.Title;
        var history = await SettingsHistory.LoadAsync<Account>(session, id, Account.Evolve, Account.Settings, cancellationToken);
        var entries = history.Select(e => new
        {
            When = e.At.Display(),
            WhenIso = e.At.ToUniversalTime().ToString("O"),
            What = text["Event." + e.EventType].Value,
            Who = e.By == Actors.System ? text["History.System"].Value : e.ByName,
            Changes = e.Changes.Select(c => new { Setting = text["Account." + c.Setting].Value, c.Before, c.After }).ToArray(),
        });
        Entries = templates.View("AccountHistory", text, entries.ToArray(),
            "History.When", "History.Who", "History.What", "History.Changes", "History.Empty", "Common.Empty");
        return Page();
    }
}
