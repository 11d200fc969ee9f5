using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MailAccounts.WebHost.Pages;

/// <summary>
/// The product's own page for a 404 or a 400 with no body of its own: in the layout and the reader's language, saying
/// what was not found (when the page that answered knew, see <see cref="Missing"/>) and linking the way back.
/// </summary>
[AllowAnonymous]
public sealed class NotFoundModel : PageModel
{
    public int Status { get; private set; }

    /// <summary>The thing missing ("message", "draft", …), or "page" when the answering page said nothing more.</summary>
    public string What { get; private set; } = "page";

    public string TitleKey => Status == StatusCodes.Status400BadRequest ? "BadRequest.Title" : Status == StatusCodes.Status404NotFound ? "NotFound.Title" : "Error.Title";

    public string TextKey => Status switch
    {
        StatusCodes.Status400BadRequest => $"BadRequest.{Capitalised(What)}",
        StatusCodes.Status404NotFound => $"NotFound.{Capitalised(What)}",
        _ => "Error.Text",
    };

    public string BackUrl { get; private set; } = "/Email";

    public string BackText { get; private set; } = "NotFound.BackToEmail";

    public void OnGet([Microsoft.AspNetCore.Mvc.FromQuery] int? code) => Show(code);

    private void Show(int? code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        Status = reExecuted && code is >= 400 and < 600 ? code.Value : StatusCodes.Status404NotFound;
        Response.StatusCode = Status;
        if (reExecuted && HttpContext.Items[typeof(Missing)] is Missing missing && Url.IsLocalUrl(missing.BackUrl))
        {
            (What, BackUrl, BackText) = (missing.What, missing.BackUrl, missing.BackText);
        }

        if (User.Identity?.IsAuthenticated != true)
        {
            (BackUrl, BackText) = ("/", "NotFound.BackToStart");
        }
    }

    private static string Capitalised(string what) => what.Length == 0 ? what : char.ToUpperInvariant(what[0]) + what[1..];
}
