using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MailAccounts.WebHost.Pages;

/// <summary>The language switcher: remembers the choice in a cookie for a year.</summary>
public sealed class CultureModel : PageModel
{
    private static readonly string[] Supported = ["en", "ru"];

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (culture is not null && Supported.Contains(culture))
        {
            Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = Request.IsHttps });
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
