using Marten;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Import;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.Rendering;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Imported;

/// <summary>
/// Could not import: the messages of the user's accounts that the import put aside, with why, how often it tried and
/// when; Retry has the next import try one again however often it failed.
/// </summary>
public sealed class FailedModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public IReadOnlyList<(QuarantinedMessage Message, string Account, string Folder)> Messages { get; private set; } = [];

    public string? Notice { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Notice = TempData[IndexModel.NoticeKey] as string;
        var accounts = (await ImportedMail.AccountsAsync(session, User.Actor(), cancellationToken)).ToDictionary(a => a.Id);
        Messages = [.. (await ImportedMail.QuarantinedAsync(session, User.Actor(), cancellationToken))
            .Select(m => accounts.GetValueOrDefault(m.Place.AccountId) is { } account
                ? (m, account.Title, FolderNames.Display(m.Place.Folder, account, text))
                : (m, "", m.Place.Folder))];
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new RetryQuarantined(User.Actor(), id), cancellationToken);
        if (!outcome.Succeeded)
        {
            return this.NotFoundPage(new Missing("quarantined", "/Email/Imported/Failed", "Imported.BackToFailed"));
        }

        TempData[IndexModel.NoticeKey] = text["Imported.RetryAsked"].Value;
        return LocalRedirect("/Email/Imported/Failed");
    }
}
