using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.SignInProviders;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>
/// Where the provider sends the browser back after "Sign in with …" or Reconnect (the redirect address registered with
/// the provider). The state must be one this user's sign-in sent, unused and unexpired; a forged, replayed or someone
/// else's callback is refused here and goes nowhere. Otherwise the form comes back as it was left (signed in, or why
/// not), and a Reconnect reconnects the account and goes back to the list.
/// </summary>
public sealed class SignedInModel(SignIns signIns, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public const string Path = "/Email/Settings/Accounts/SignedIn";

    /// <summary>This page's address as the browser reaches the product: the provider sends it back to where it left from.</summary>
    public static Uri CallbackUri(HttpRequest request) => new($"{request.Scheme}://{request.Host}{Path}");

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(
        string? code, string? state, string? error, [FromQuery(Name = "error_description")] string? errorDescription, CancellationToken cancellationToken)
    {
        var returned = await signIns.FinishAsync(User.Id(), state, code, error, errorDescription, cancellationToken);
        if (returned is null)
        {
            Problem = text["ProviderSignIn." + SignInRefusals.Unknown].Value;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (!returned.Reconnect)
        {
            return Redirect(returned.AccountId is { } id
                ? $"/Email/Settings/Accounts/Edit/{id}?handler=SignedIn&signIn={returned.Id}"
                : $"/Email/Settings/Accounts/Add?handler=SignedIn&signIn={returned.Id}");
        }

        await signIns.ForgetAsync(returned.Id, cancellationToken);
        if (returned.Grant is not { } grant)
        {
            TempData["Notice"] = text["ProviderSignIn." + returned.Refusal].Value + (returned.ProviderWords is { } words ? $" ({words})" : "");
            return RedirectToPage("Index");
        }

        var outcome = await commands.InvokeAsync(new ReconnectAccount(User.Actor(), returned.AccountId!.Value, grant), cancellationToken);
        TempData["Notice"] = outcome.Succeeded
            ? string.Format(text["ProviderSignIn.Reconnected"].Value, grant.Mailbox)
            : string.Join(" ", outcome.Violations.Select(v => text[v.Code].Value));
        return RedirectToPage("Index");
    }
}
