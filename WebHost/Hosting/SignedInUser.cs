using System.Security.Claims;
using Marten;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MailAccounts.WebHost.Hosting;

internal static class SignedInUser
{
    private const string CredentialsStamp = "mailaccounts:credentials";
    private const string LoginClaim = "mailaccounts:login";

    public static ClaimsPrincipal PrincipalFor(User user, string credentialsStamp) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(ClaimTypes.Name, user.DisplayName),
            new Claim(ClaimTypes.Role, user.Role.ToString()),
            new Claim(CredentialsStamp, credentialsStamp),
            new Claim(LoginClaim, user.Login),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static Guid Id(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("The request has no signed-in user.");

    public static string Login(this ClaimsPrincipal principal) => principal.FindFirstValue(LoginClaim) ?? "";

    public static bool IsAdministrator(this ClaimsPrincipal principal) => principal.IsInRole(nameof(UserRole.Administrator));

    /// <summary>Who asks, as the account access rule needs to know.</summary>
    public static MailAccounts.Domain.Accounts.Viewer Viewer(this ClaimsPrincipal principal) => new(principal.Id(), principal.IsAdministrator());

    /// <summary>
    /// A deactivated user, one whose role changed, or one whose password was reset is signed out at their next
    /// request, not when the cookie expires.
    /// </summary>
    public static async Task RejectWhenDeactivatedAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            context.RejectPrincipal();
            return;
        }

        var session = context.HttpContext.RequestServices.GetRequiredService<IQuerySession>();
        var user = await session.LoadAsync<User>(id, context.HttpContext.RequestAborted);
        var credentials = await session.LoadAsync<UserCredentials>(id, context.HttpContext.RequestAborted);
        if (user is not { IsActive: true } || !principal.IsInRole(user.Role.ToString())
            || credentials?.Stamp != principal.FindFirstValue(CredentialsStamp))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
