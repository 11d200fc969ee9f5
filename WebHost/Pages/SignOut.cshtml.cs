using MailAccounts.Infrastructure.Users;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

using Wolverine;

namespace MailAccounts.WebHost.Pages;

public sealed class SignOutModel(IMessageBus bus) : PageModel
{
    /// <summary>Ends the session on the server too: a copy of the cookie is refused from now on.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.SessionId() is { } sessionId)
        {
            await bus.InvokeAsync(new EndSession(sessionId, User.Id()), cancellationToken);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage("/SignIn");
    }
}
