using Marten;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.History;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>What happened to one account, newest first: who, when and what changed.</summary>
public sealed class HistoryModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text)
    : HistoryPageModel(session, templates, text)
{
    public async Task<IActionResult> OnGetAsync(
        Guid id, string? kind, DateOnly? from, DateOnly? to, long? asOf, long? a, long? b, CancellationToken cancellationToken) =>
        await ShowAsync(await AccountHistory.FindAsync(Session, Text, id, User.Actor(), cancellationToken), new(kind, from, to, asOf, a, b), cancellationToken);

    /// <summary>The history as JSON or CSV, with the page's filters.</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        await ExportAsync(await AccountHistory.FindAsync(Session, Text, id, User.Actor(), cancellationToken), format, new(kind, from, to, null, null, null), cancellationToken);
}
