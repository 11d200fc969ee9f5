using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// What a page could not find (or could not read in its address) and where the person goes from there. A page model
/// answers 404 or 400 with it, and the status-code page (Pages/NotFound) says what was missing and links the way back.
/// </summary>
/// <param name="What">Names the thing in the words' keys (NotFound.{What} or BadRequest.{What}) and in the page's data hook.</param>
/// <param name="BackUrl">A local address: the folder the message was in, the Not sent list, E-mail.</param>
/// <param name="BackText">The key of the way back's words.</param>
public sealed record Missing(string What, string BackUrl, string BackText)
{
    public const string Message = "message";
    public const string Attachment = "attachment";
    public const string Draft = "draft";
    public const string Account = "account";

    public static Missing InFolder(string what, Guid account, string folder) =>
        new(what, $"/Email?account={account}&folder={Uri.EscapeDataString(folder)}", "NotFound.BackToFolder");

    public static Missing InEmail(string what) => new(what, "/Email", "NotFound.BackToEmail");
}

public static class MissingResults
{
    /// <summary>404 with what is missing: the status-code page re-executes in the same request and reads it from there.</summary>
    public static IActionResult NotFoundPage(this PageModel page, Missing missing)
    {
        page.HttpContext.Items[typeof(Missing)] = missing;
        return page.NotFound();
    }

    /// <summary>400: the address itself names nothing (a message number that is not a number).</summary>
    public static IActionResult BadRequestPage(this PageModel page, Missing missing)
    {
        page.HttpContext.Items[typeof(Missing)] = missing;
        return page.BadRequest();
    }

    /// <summary>An IMAP UID as an address gives it: a positive number, nothing else.</summary>
    public static bool IsImapUid(string? uid) =>
        uint.TryParse(uid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0;
}
