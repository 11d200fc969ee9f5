using Marten;
using MailAccounts.Infrastructure.Users;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Wolverine;

namespace MailAccounts.WebHost.Pages;

[EnableRateLimiting(Policies.SignIn)]
public sealed class SignInModel(IQuerySession session, IMessageBus bus, IConfiguration configuration, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public string? Login { get; set; }

    // Never bound back into the form: a failed sign-in shows an empty password field.
    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var signedIn = await Infrastructure.Users.SignIn.CheckAsync(session, Login, Password, cancellationToken);
        Password = null;
        if (signedIn is not { } found)
        {
            ModelState.AddModelError("", text["SignIn.Failed"]);
            return Page();
        }

        // A new session for every sign-in: a session id known before signing in is worth nothing after.
        var sessionId = Guid.CreateVersion7();
        await bus.InvokeAsync(new StartSession(sessionId, found.User.Id, SignedInUser.AbsoluteLifetime(configuration)), cancellationToken);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, SignedInUser.PrincipalFor(found.User, found.Stamp, sessionId));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
