using MailAccounts.Domain.Accounts;
using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Settings;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>Communication » E-mail » Settings, the Accounts tab.</summary>
public sealed class IndexModel(
    IQuerySession session, IMessageBus bus, MailTestLimiter limiter, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public IHtmlContent List { get; private set; } = HtmlString.Empty;

    [TempData]
    public string? Notice { get; set; }

    /// <summary>Check mail: every account's monitored folders, on the durable queue; the page returns before the servers answer.</summary>
    public async Task<IActionResult> OnPostCheckMailAsync(CancellationToken cancellationToken)
    {
        if (!limiter.TryAcquire(User.Id()))
        {
            Notice = text["Test.TooMany"];
            return RedirectToPage();
        }

        await bus.PublishAsync(new CheckMailNow(User.Id()));
        Notice = text["Accounts.CheckStarted"];
        return RedirectToPage();
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // The accounts the user configures, and the group accounts the user may only use, shown without their settings.
        var configurable = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Configure, cancellationToken);
        var usable = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken);
        var accounts = configurable.Concat(usable.Where(u => configurable.All(c => c.Id != u.Id))).ToArray();
        var configurableIds = configurable.Select(a => a.Id).ToHashSet();
        var statuses = (await session.LoadManyAsync<MailboxStatus>(cancellationToken, accounts.Select(a => a.Id))).ToDictionary(s => s.Id);
        var rows = accounts.Select(a => new
        {
            a.Id,
            a.Title,
            a.Name,
            a.Address,
            Configurable = configurableIds.Contains(a.Id),
            Group = a.Kind == AccountKind.Group,
            Deactivated = a.DeactivationReason ?? "",
            Protocol = configurableIds.Contains(a.Id) ? a.Incoming?.Protocol.ToString().ToUpperInvariant() ?? "" : "",
            Server = configurableIds.Contains(a.Id) && a.Incoming is { } incoming ? $"{incoming.Host}:{incoming.Port}" : "",
            Status = statuses.GetValueOrDefault(a.Id) is { } status
                ? status.Succeeded
                    ? string.Format(text["Accounts.StatusOk"].Value, status.Unread, status.CheckedAt.Display())
                    : string.Format(text["Accounts.StatusFailed"].Value, status.CheckedAt.Display(), status.Detail)
                : text["Accounts.NotChecked"].Value,
            StatusFailed = statuses.GetValueOrDefault(a.Id) is { Succeeded: false },
            Unread = statuses.GetValueOrDefault(a.Id) is { Succeeded: true } checkedOk ? checkedOk.Unread : (int?)null,
            FoldersUrl = $"/Email/Settings/Folders/{a.Id}",
            EditUrl = $"/Email/Settings/Accounts/Edit/{a.Id}",
            HistoryUrl = $"/Email/Settings/Accounts/History/{a.Id}",
        });
        List = templates.View("AccountList", text, rows.ToArray(),
            "Accounts.Empty", "Account.Title", "Account.Name", "Account.Address", "Account.Host", "Accounts.History", "Accounts.Edit", "Accounts.Status", "Accounts.Folders",
            "AccountKind.Group", "AdminAccounts.Deactivated");
    }
}
