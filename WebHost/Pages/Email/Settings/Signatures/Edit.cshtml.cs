using Marten;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Signatures;

/// <summary>Create or edit a signature; a template error shows here, when it is saved, never when mail is sent.</summary>
public sealed class EditModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public SignatureInput Input { get; set; } = new();

    public Guid? Id { get; private set; }

    public RenderedSignature? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken cancellationToken)
    {
        Id = id;
        if (id is null)
        {
            return Page();
        }

        var signature = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).FindSignature(id);
        if (signature is null)
        {
            return NotFound();
        }

        Input = new SignatureInput { Name = signature.Name, Html = signature.Html };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new SaveSignature(User.Id(), id, Input.Name, Input.Html), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == SettingsViolations.SignatureUnknown))
        {
            return NotFound();
        }

        if (!outcome.Succeeded)
        {
            Id = id;
            ModelState.AddViolations(outcome.Violations, text, nameof(Input));
            return Page();
        }

        return RedirectToPage("/Email/Settings/General/Index");
    }

    /// <summary>Shows the signature as mail would carry it, with the signed-in user's values.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is not null && (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).FindSignature(id) is null)
        {
            return NotFound();
        }

        Id = id;
        if ((Input.Html ?? "").Length > MailSettingsDecisions.MaxSignatureLength)
        {
            ModelState.AddModelError("Input.Html", text[SettingsViolations.SignatureTooLong]);
            return Page();
        }

        try
        {
            Preview = SignatureTemplates.Render(Input.Html ?? "", new SignatureValues(
                User.Identity?.Name ?? "", User.Login(), text["Account.Title"], User.Identity?.Name ?? "", "you@example.com", DateTimeOffset.UtcNow));
        }
        catch (SignatureTemplateException e)
        {
            ModelState.AddModelError("Input.Html", $"{text[SettingsViolations.SignatureTemplateInvalid]} {e.Message}");
        }

        return Page();
    }

    public sealed class SignatureInput
    {
        public string? Name { get; set; }

        public string? Html { get; set; }
    }
}
