using Marten;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.History;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Admin.SignInProviders;

/// <summary>The history of one registered sign-in provider: who registered or changed it, and what, never its secret.</summary>
public sealed class HistoryModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text)
    : HistoryPageModel(session, templates, text)
{
    public async Task<IActionResult> OnGetAsync(
        Guid id, string? kind, DateOnly? from, DateOnly? to, long? asOf, long? a, long? b, CancellationToken cancellationToken) =>
        await ShowAsync(await SignInProviderHistory.FindAsync(Session, Text, id, cancellationToken), new(kind, from, to, asOf, a, b), cancellationToken);

    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        await ExportAsync(await SignInProviderHistory.FindAsync(Session, Text, id, cancellationToken), format, new(kind, from, to, null, null, null), cancellationToken);
}
