using MailAccounts.Domain.Accounts;
using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email;

/// <summary>
/// Not sent: what the outgoing server refused, or kept failing until the last retry, with what it said; messages
/// still on their way with their next attempt; and drafts. Each can be edited and sent again, or discarded.
/// </summary>
public sealed class OutboxModel(
    IQuerySession session, Commands commands, IAntiforgery antiforgery, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public IHtmlContent List { get; private set; } = HtmlString.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var mail = await OutgoingMailQueries.UnsentOfAsync(session, User.Id(), cancellationToken);
        var accounts = (await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken)).ToDictionary(a => a.Id, a => a.Title);
        List = templates.View("OutboxList", text, new
        {
            Empty = mail.Count == 0,
            // The template's Discard buttons post like any form of the site: with the anti-forgery token.
            Token = antiforgery.GetAndStoreTokens(HttpContext).RequestToken,
            Groups = new[] { OutgoingMailStatus.NotSent, OutgoingMailStatus.Queued, OutgoingMailStatus.Draft }
                .Select(status => new
                {
                    Id = status.ToString().ToLowerInvariant(),
                    Title = text["Outbox." + status].Value,
                    Rows = mail.Where(m => m.Status == status).Select(m => new
                    {
                        m.Id,
                        Account = accounts.GetValueOrDefault(m.AccountId, ""),
                        m.To,
                        Subject = m.Subject.Length == 0 ? text["Client.NoSubject"].Value : m.Subject,
                        When = m.UpdatedAt.Display(),
                        // The product's own refusals read in the reader's language; a server's words stay as it said them.
                        Problem = m.ProblemKey is { } key ? text[key].Value : m.Problem ?? "",
                        ServerSaid = m.ProblemKey is null,
                        Status = status switch
                        {
                            OutgoingMailStatus.Queued when m.Attempts > 0 && m.NextAttemptAt is { } next =>
                                string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Outbox.Retrying"].Value, m.Attempts, next.Display()),
                            OutgoingMailStatus.Queued => text["Outbox.Sending"].Value,
                            _ => "",
                        },
                        Editable = !m.Locked,
                        EditUrl = $"/Email/Compose?draft={m.Id}",
                    }).ToArray(),
                }).ToArray(),
        },
            "Outbox.Empty", "Client.Account", "Client.To", "Client.Subject", "Client.Date", "Outbox.ServerSaid", "Outbox.Edit", "Outbox.Discard", "Common.Actions");
    }

    public async Task<IActionResult> OnPostDiscardAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new DiscardMail(User.Id(), id), cancellationToken);
        return outcome.Succeeded ? RedirectToPage() : NotFound();
    }
}
