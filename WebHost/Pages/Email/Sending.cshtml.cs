using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email;

/// <summary>Undo after Send: the message becomes a draft again and opens in Compose, or the page says why it is too late.</summary>
public sealed class SendingModel(Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/Email");

    public async Task<IActionResult> OnPostUndoAsync(Guid mailId, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new UndoSend(User.Id(), mailId), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == SendingViolations.Unknown))
        {
            return NotFound();
        }

        TempData["Notice"] = outcome.Succeeded
            ? text["Compose.SendingUndone"].Value
            : string.Join(" ", outcome.Violations.Select(v => text[v.Code].Value));
        return outcome.Succeeded ? LocalRedirect($"/Email/Compose?draft={mailId}") : LocalRedirect("/Email/Outbox");
    }
}
