using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Folders;

/// <summary>Folder management: which of an account's folders the mail client shows (all, when none is chosen).</summary>
public sealed class IndexModel(
    IQuerySession session, Commands commands, MailClient mail, MailReadLimiter limiter, IStringLocalizer<SharedResource> text) : PageModel
{
    public string Title { get; private set; } = "";

    public IReadOnlyList<ServerFolder> ServerFolders { get; private set; } = [];

    public IReadOnlySet<string> Chosen { get; private set; } = new HashSet<string>();

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, id, User.Actor(), AccountUse.Use, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        Title = account.Title;
        Chosen = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).VisibleFoldersOf(id).ToHashSet();
        if (account.Incoming is not { Protocol: IncomingProtocol.Imap })
        {
            Problem = text["Folders.Pop3"];
            return Page();
        }

        if (!limiter.TryAcquire(User.Id()))
        {
            Problem = text["Mail.TooManyReads"];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        // Through the pool, as the message list: a connection the list left signed in is used again.
        var work = await mail.ServerFoldersAsync(session, account, cancellationToken);
        // The server's words, so the user knows what to fix; the rest of the settings keeps working.
        Problem = work.Succeeded ? null : text.MailProblem(work);
        ServerFolders = work.Value ?? [];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, List<string> chosen, List<string> serverFolders, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new ChooseVisibleFolders(User.Actor(), id, chosen, serverFolders), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == AccountViolations.Unknown))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations, text, "");
            return await OnGetAsync(id, cancellationToken);
        }

        return RedirectToPage("/Email/Settings/General/Index");
    }
}
