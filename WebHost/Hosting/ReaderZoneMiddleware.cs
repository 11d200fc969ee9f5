using Marten;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Rendering;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// Times on a page are in its reader's zone: the one chosen in General settings, else the browser's (site.js keeps it
/// in a cookie), else UTC. Only IANA ids the machine knows are used; anything else in the cookie is ignored.
/// </summary>
public static class ReaderZoneMiddleware
{
    public const string Cookie = "MailAccounts.TimeZone";

    public static IApplicationBuilder UseReaderZone(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var zone = await ChosenAsync(context) ?? TimeZones.Find(context.Request.Cookies[Cookie]);
        using (ReaderZone.Use(zone))
        {
            await next(context);
        }
    });

    private static async Task<TimeZoneInfo?> ChosenAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier) is null)
        {
            return null;
        }

        var session = context.RequestServices.GetRequiredService<IQuerySession>();
        var settings = await MailSettingsQueries.ForUserAsync(session, context.User.Id(), context.RequestAborted);
        return TimeZones.Find(settings.TimeZone);
    }
}
