using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Wolverine;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

public sealed class AddModel(IMessageBus bus, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public AccountInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var outcome = await bus.SendAsync(
            new CreateAccount(User.Id(), Input.Title, Input.Name, Input.Address), cancellationToken);
        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations, text, nameof(Input));
            return Page();
        }

        return RedirectToPage("Index");
    }

    public sealed class AccountInput
    {
        public string? Title { get; set; }

        public string? Name { get; set; }

        public string? Address { get; set; }
    }
}
