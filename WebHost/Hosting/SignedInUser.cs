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
    private const string SessionClaim = "mailaccounts:session";

    /// <summary>How long a sign-in lasts however often it is used: <c>Security:SessionAbsoluteHours</c>, 12 by default.</summary>
    public static TimeSpan AbsoluteLifetime(IConfiguration configuration) =>
        TimeSpan.FromHours(Math.Max(1, configuration.GetValue("Security:SessionAbsoluteHours", 12)));

    public static ClaimsPrincipal PrincipalFor(User user, string credentialsStamp, Guid sessionId) => new(new ClaimsIdentity(
        [
            new Claim(SessionClaim, sessionId.ToString()),
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

    /// <summary>The server-side session this cookie names (<see cref="SignInSession"/>), or none.</summary>
    public static Guid? SessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionClaim), out var id) ? id : null;

    public static string Login(this ClaimsPrincipal principal) => principal.FindFirstValue(LoginClaim) ?? "";

    public static bool IsAdministrator(this ClaimsPrincipal principal) => principal.IsInRole(nameof(UserRole.Administrator));

    /// <summary>Who asks, as the account access rule needs to know.</summary>
    public static MailAccounts.Domain.Accounts.Actor Actor(this ClaimsPrincipal principal) => new(principal.Id(), principal.IsAdministrator());

    /// <summary>
    /// A deactivated user, one whose role changed, or one whose password was reset is signed out at their next
    /// request, not when the cookie expires; so is a cookie whose session ended (signed out, or older than the
    /// absolute lifetime however often the sliding one renewed it).
    /// </summary>
    public static async Task RejectWhenDeactivatedAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            context.RejectPrincipal();
            return;
        }

        var session = context.HttpContext.RequestServices.GetRequiredService<IQuerySession>();
        var user = await UserQueries.FindAsync(session, id, context.HttpContext.RequestAborted);
        var credentials = await session.LoadAsync<UserCredentials>(id, context.HttpContext.RequestAborted);
        var signIn = principal.SessionId() is { } sessionId
            ? await session.LoadAsync<SignInSession>(sessionId, context.HttpContext.RequestAborted)
            : null;
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (user is not { IsActive: true } || !principal.IsInRole(user.Role.ToString())
            || credentials?.Stamp != principal.FindFirstValue(CredentialsStamp)
            || signIn is null || signIn.UserId != id || signIn.IsOver(now, AbsoluteLifetime(services.GetRequiredService<IConfiguration>())))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
