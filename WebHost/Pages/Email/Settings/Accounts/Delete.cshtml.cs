using MailAccounts.Domain.Accounts;
using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Wolverine;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>Deleting asks once more: the account and its settings go, its history stays for the audit.</summary>
public sealed class DeleteModel(IQuerySession session, IMessageBus bus) : PageModel
{
    public Guid Id { get; private set; }

    public string Title { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, id, User.Viewer(), AccountUse.Configure, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        (Id, Title) = (id, account.Title);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await bus.SendAsync(new DeleteAccount(User.Viewer(), id), cancellationToken);
        return outcome.Succeeded ? RedirectToPage("Index") : NotFound();
    }
}
