using Marten;
using MailAccounts.Infrastructure.Rendering;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.History;

/// <summary>
/// The page model every History page shares: the page finds its <see cref="HistorySubject"/> (its access rule) and
/// hands it here, which shows it or exports it; a subject not found is 404, as for what does not exist.
/// </summary>
public abstract class HistoryPageModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    protected IQuerySession Session => session;

    protected IStringLocalizer Text => text;

    public string Title { get; private set; } = "";

    public IHtmlContent Entries { get; private set; } = HtmlString.Empty;

    protected async Task<IActionResult> ShowAsync(HistorySubject? subject, HistoryQuery query, CancellationToken cancellationToken)
    {
        if (subject is null)
        {
            return NotFound();
        }

        Title = subject.Title;
        Entries = (await HistoryPage.ViewAsync(session, text, subject, query, cancellationToken)).Render(templates);
        return Page();
    }

    protected async Task<IActionResult> ExportAsync(HistorySubject? subject, string? format, HistoryQuery query, CancellationToken cancellationToken)
    {
        if (subject is null)
        {
            return NotFound();
        }

        var (content, contentType, name) = await HistoryPage.ExportAsync(session, subject, query, format, cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(content), contentType, name);
    }
}
