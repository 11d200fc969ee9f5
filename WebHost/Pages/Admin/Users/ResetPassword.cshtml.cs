using Marten;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Users;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Admin.Users;

public sealed class ResetPasswordModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public string Login { get; private set; } = "";

    [BindProperty]
    public string? Password { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var user = await session.LoadAsync<User>(id, cancellationToken);
        if (user is null)
        {
            return NotFound();
        }

        Login = user.Login;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new ResetUserPassword(User.Id(), id, new Secret(Password ?? "")), cancellationToken);
        Password = null;
        if (outcome.Violations.Any(v => v.Code == UserViolations.UnknownUser))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations, text, "");
            return await OnGetAsync(id, cancellationToken);
        }

        // The login, for the notice, as the page shows it.
        await OnGetAsync(id, cancellationToken);
        TempData["Notice"] = string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Users.PasswordWasReset"].Value, Login);
        return RedirectToPage("Index");
    }
}
