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

/// <summary>
/// Every account of the organisation. Group accounts are the administrators' to edit and share; of an individual
/// account an administrator sees that it exists and may deactivate it, with a reason its owner reads.
/// </summary>
public sealed class IndexModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> Owners { get; private set; } = new Dictionary<Guid, string>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Administer, cancellationToken);
        Owners = (await session.LoadManyAsync<User>(cancellationToken, Accounts.Select(a => a.OwnerId).Distinct()))
            .ToDictionary(u => u.Id, u => u.DisplayName);
    }

    public Task<IActionResult> OnPostDeactivateAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        SendAsync(new DeactivateAccount(User.Actor(), id, reason), cancellationToken);

    public Task<IActionResult> OnPostReactivateAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync(new ReactivateAccount(User.Actor(), id), cancellationToken);

    private async Task<IActionResult> SendAsync(object command, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(command, cancellationToken);
        if (outcome.Violations.Any(v => v.Code == AccountViolations.Unknown))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations.Select(v => v with { Field = "" }), text, "");
            await OnGetAsync(cancellationToken);
            return Page();
        }

        return RedirectToPage();
    }
}
