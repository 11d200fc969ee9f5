using Marten;
using MailAccounts.Infrastructure.Import;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Imported;

/// <summary>
/// GET /Email/Imported/Progress: where the import of each account the user may use stands, as JSON, for
/// import-progress.js. The accounts come from <see cref="ImportedMail.ProgressAsync"/>, the one access rule of imported
/// mail, so nobody learns of an account that is not theirs (an administrator sees no individual account's import).
/// </summary>
public sealed class ProgressModel(IQuerySession session, IStringLocalizer<SharedResource> text) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var accounts = (await ImportedMail.ProgressAsync(session, User.Actor(), cancellationToken)).Select(i => ImportState.Of(i, text)).ToArray();
        // Live state: a cached answer would show a finished import as still running.
        Response.Headers.CacheControl = "no-store";
        return new JsonResult(new { Running = accounts.Any(a => a.Running), Accounts = accounts });
    }
}
