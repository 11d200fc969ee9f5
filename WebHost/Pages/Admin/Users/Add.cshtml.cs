using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Users;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Admin.Users;

public sealed class AddModel(Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public UserInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(
            new RegisterUser(User.Id(), Input.Login, Input.DisplayName, Input.Role, new Secret(Input.Password ?? "")), cancellationToken);
        Input.Password = null;
        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations, text, nameof(Input));
            return Page();
        }

        TempData["Notice"] = string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Users.Added"].Value, Input.Login);
        return RedirectToPage("Index");
    }

    public sealed class UserInput
    {
        public string? Login { get; set; }

        public string? DisplayName { get; set; }

        public UserRole Role { get; set; } = UserRole.User;

        public string? Password { get; set; }
    }
}
