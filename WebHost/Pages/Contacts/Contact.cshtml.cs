using Marten;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Contacts;
using MailAccounts.Infrastructure.Verification;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Contacts;

/// <summary>
/// One contact: its details, its addresses (the primary marked) each with what the system knows of it (valid, or
/// invalid since when, with the status, the server's words and a link to the bounce, and Mark valid), and its
/// correspondence as the viewer may see it. Administrators may delete it.
/// </summary>
public sealed class ContactModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    public Contact Contact { get; private set; } = null!;

    public IReadOnlyDictionary<string, AddressState> States { get; private set; } = new Dictionary<string, AddressState>();

    public IReadOnlyList<CorrespondenceItem> Correspondence { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await ShowAsync(id, cancellationToken);

    /// <summary>Mark valid beside an invalid address: its mark goes, here and wherever the address appears.</summary>
    public async Task<IActionResult> OnPostMarkValidAsync(Guid id, string? address, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new MarkAddressValid(User.Actor(), id, address ?? ""), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == ContactViolations.Unknown))
        {
            return NotFoundContact();
        }

        if (!outcome.Succeeded)
        {
            Problem = string.Join(" ", outcome.Violations.Select(v => ContactViolationText.Of(v, text)));
            return await ShowAsync(id, cancellationToken);
        }

        TempData["Notice"] = string.Format(text["Contacts.MarkedValid"].Value, address);
        return LocalRedirect($"/Contacts/Contact?id={id}");
    }

    /// <summary>Administrators only; anyone else is refused (403) and the contact stays.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new DeleteContact(User.Actor(), id), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == ContactViolations.Unknown))
        {
            return NotFoundContact();
        }

        if (outcome.Violations.Any(v => v.Code == ContactViolations.AdministratorsOnly))
        {
            return Forbid();
        }

        TempData["Notice"] = text["Contacts.Deleted"].Value;
        return LocalRedirect("/Contacts");
    }

    public AddressState? StateOf(string address) => States.GetValueOrDefault(AddressVerification.Normalise(address));

    /// <summary>Where a bounce can be read: the report in its folder on the live mail pages; a refusal while sending has no message.</summary>
    public static string? BounceUrl(BounceEvidence evidence) => evidence is { Source: BounceSource.Report, Folder: { } folder, Uid: > 0 }
        ? $"/Email/Message?account={evidence.AccountId}&folder={Uri.EscapeDataString(folder)}&uid={evidence.Uid}"
        : null;

    public static string LinkOf(CorrespondenceItem item) => item.Kind == CorrespondenceKind.Sent
        ? item.Folder is { Length: > 0 } folder ? $"/Email?account={item.AccountId}&folder={Uri.EscapeDataString(folder)}" : $"/Email?account={item.AccountId}"
        : $"/Email/Imported/Letter?id={item.Id}";

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await ContactQueries.FindAsync(session, id, cancellationToken) is not { } contact)
        {
            return NotFoundContact();
        }

        Contact = contact;
        States = await AddressStates.OfAsync(session, contact.Addresses.Select(a => a.Address), cancellationToken);
        Correspondence = await Infrastructure.Contacts.Correspondence.OfAsync(session, User.Actor(), contact, cancellationToken);
        return Page();
    }

    private IActionResult NotFoundContact() => this.NotFoundPage(new Missing("contact", "/Contacts", "Contacts.BackToList"));
}
