using Marten;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.History;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.General;

/// <summary>The history of the signed-in user's general settings, newest first.</summary>
public sealed class HistoryModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text)
    : HistoryPageModel(session, templates, text)
{
    public Task<IActionResult> OnGetAsync(string? kind, DateOnly? from, DateOnly? to, long? asOf, long? a, long? b, CancellationToken cancellationToken) =>
        ShowAsync(GeneralSettingsHistory.For(Session, Text, User.Actor()), new(kind, from, to, asOf, a, b), cancellationToken);

    public Task<IActionResult> OnGetExportAsync(string? format, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken) =>
        ExportAsync(GeneralSettingsHistory.For(Session, Text, User.Actor()), format, new(kind, from, to, null, null, null), cancellationToken);
}
