using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>Communication » E-mail » Settings, the Accounts tab.</summary>
public sealed class IndexModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public IHtmlContent List { get; private set; } = HtmlString.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var accounts = await AccountQueries.ListOwnedByAsync(session, User.Id(), cancellationToken);
        var rows = accounts.Select(a => new
        {
            a.Title,
            a.Name,
            a.Address,
            Protocol = a.Incoming?.Protocol.ToString().ToUpperInvariant() ?? "",
            Server = a.Incoming is { } incoming ? $"{incoming.Host}:{incoming.Port}" : "",
            EditUrl = $"/Email/Settings/Accounts/Edit/{a.Id}",
            HistoryUrl = $"/Email/Settings/Accounts/History/{a.Id}",
        });
        List = templates.View("AccountList", text, rows.ToArray(),
            "Accounts.Empty", "Account.Title", "Account.Name", "Account.Address", "Account.Host", "Accounts.History", "Accounts.Edit");
    }
}
