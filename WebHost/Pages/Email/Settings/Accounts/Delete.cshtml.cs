using MailAccounts.Domain.Accounts;
using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>Deleting asks once more: the account and its settings go, its history stays for the audit.</summary>
public sealed class DeleteModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, id, User.Actor(), AccountUse.Configure, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        (Id, Title) = (id, account.Title);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new DeleteAccount(User.Actor(), id), cancellationToken);
        if (outcome.Succeeded)
        {
            return RedirectToPage("Index");
        }

        // A refusal the owner can act on (a deactivated account) is said on the page; anything else is not theirs.
        if (outcome.Violations.Any(v => v.Code == AccountViolations.Unknown) || await OnGetAsync(id, cancellationToken) is not PageResult page)
        {
            return NotFound();
        }

        ModelState.AddViolations(outcome.Violations, text, "");
        return page;
    }
}
