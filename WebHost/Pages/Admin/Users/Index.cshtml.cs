using Marten;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Users;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Admin.Users;

public sealed class IndexModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public IReadOnlyList<User> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Users = await session.Query<User>().OrderBy(u => u.Login).ToListAsync(cancellationToken);

    public async Task<IActionResult> OnPostSetActiveAsync(Guid id, bool active, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new SetUserActive(User.Id(), id, active), cancellationToken);
        if (!outcome.Succeeded)
        {
            foreach (var violation in outcome.Violations)
            {
                ModelState.AddModelError("", text[violation.Code]);
            }

            await OnGetAsync(cancellationToken);
            return Page();
        }

        return RedirectToPage();
    }
}
