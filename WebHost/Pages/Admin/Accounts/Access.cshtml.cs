using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Admin.Accounts;

/// <summary>Who may use a group account: granted and revoked one user at a time, each an event on the account.</summary>
public sealed class AccessModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public Account Account { get; private set; } = null!;

    public IReadOnlyList<User> Users { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, id, User.Actor(), AccountUse.Administer, cancellationToken);
        if (account is not { Kind: AccountKind.Group })
        {
            return NotFound();
        }

        Account = account;
        Users = await session.Query<User>().Where(u => u.Role == UserRole.User).OrderBy(u => u.Login).ToListAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostGrantAsync(Guid id, Guid userId, CancellationToken cancellationToken) =>
        SendAsync(id, new GrantAccess(User.Actor(), id, userId), cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(Guid id, Guid userId, CancellationToken cancellationToken) =>
        SendAsync(id, new RevokeAccess(User.Actor(), id, userId), cancellationToken);

    private async Task<IActionResult> SendAsync(Guid id, object command, CancellationToken cancellationToken)
    {
        if (await AccountQueries.FindAsync(session, id, User.Actor(), AccountUse.Administer, cancellationToken) is not { Kind: AccountKind.Group })
        {
            return NotFound();
        }

        var outcome = await commands.InvokeAsync(command, cancellationToken);
        if (outcome.Violations.Any(v => v.Code is AccountViolations.Unknown or AccountViolations.NotGroup))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations.Select(v => v with { Field = "" }), text, "");
            return await OnGetAsync(id, cancellationToken);
        }

        return RedirectToPage(new { id });
    }
}
