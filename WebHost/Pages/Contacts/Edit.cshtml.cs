using Marten;
using MailAccounts.Domain.Contacts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Contacts;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Contacts;

/// <summary>
/// Add a contact, or edit one: name, organisation, notes and several addresses, one of them primary. "Add to
/// contacts" on a message comes here as <c>/Contacts/Edit?name=…&amp;address=…</c>, the form filled in with them.
/// </summary>
public sealed class EditModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>Empty address fields the form offers beyond those filled in.</summary>
    public const int SpareAddresses = 2;

    public sealed class ContactInput
    {
        public string? Name { get; set; }

        public string? Organisation { get; set; }

        public string? Notes { get; set; }

        public List<string?> Addresses { get; set; } = [];

        /// <summary>The number of the address field chosen as primary.</summary>
        public int? Primary { get; set; }

        public long? Version { get; set; }

        /// <summary>"message" when the form was opened from a message's "Add to contacts".</summary>
        public string? Source { get; set; }

        public ContactForm ToForm()
        {
            var primary = Primary is { } p && p >= 0 && p < Addresses.Count && !string.IsNullOrWhiteSpace(Addresses[p]) ? Addresses[p] : null;
            return new ContactForm(Name ?? "", Organisation ?? "", Notes ?? "", [.. Addresses.Select(a => a ?? "")], primary);
        }
    }

    [BindProperty]
    public ContactInput Input { get; set; } = new();

    public Guid? Id { get; private set; }

    /// <summary>The contact that already holds the address an "Add to contacts" link brought: the page offers it instead.</summary>
    public AddressHolder? Holder { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? id, string? name, string? address, CancellationToken cancellationToken)
    {
        if (id is { } existing)
        {
            if (await ContactQueries.FindAsync(session, existing, cancellationToken) is not { } contact)
            {
                return NotFoundContact();
            }

            var version = (await session.Events.FetchStreamStateAsync(existing, cancellationToken))?.Version;
            Id = existing;
            Input = new ContactInput
            {
                Name = contact.Name,
                Organisation = contact.Organisation,
                Notes = contact.Notes,
                Addresses = [.. contact.Addresses.Select(a => a.Address)],
                Primary = contact.Addresses.ToList().FindIndex(a => a.Primary) is var primary and >= 0 ? primary : null,
                Version = version,
            };
        }
        else
        {
            // Opened from a message: the sender's or a recipient's name and address, as the link gave them.
            Input = new ContactInput
            {
                Name = name?.Trim(),
                Addresses = string.IsNullOrWhiteSpace(address) ? [] : [address.Trim()],
                Primary = string.IsNullOrWhiteSpace(address) ? null : 0,
                Source = string.IsNullOrWhiteSpace(address) && string.IsNullOrWhiteSpace(name) ? null : ContactDecisions.MessageSource,
            };
            if (!string.IsNullOrWhiteSpace(address))
            {
                Holder = (await ContactQueries.HoldersAsync(session, [address], cancellationToken)).Values.FirstOrDefault();
            }
        }

        Pad();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new SaveContact(
            User.Actor(), id, id is null ? null : Input.Version, Input.ToForm(),
            Input.Source == ContactDecisions.MessageSource ? ContactDecisions.MessageSource : ContactDecisions.ManualSource), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == ContactViolations.Unknown))
        {
            return NotFoundContact();
        }

        if (!outcome.Succeeded)
        {
            Id = id;
            ModelState.AddContactViolations(outcome.Violations, text, nameof(Input));
            Pad();
            return Page();
        }

        TempData["Notice"] = text[id is null ? "Contacts.Added" : "Contacts.Saved"].Value;
        return LocalRedirect($"/Contacts/Contact?id={outcome.Id}");
    }

    /// <summary>One more address field, the form kept as typed.</summary>
    public async Task<IActionResult> OnPostMoreAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is { } existing && await ContactQueries.FindAsync(session, existing, cancellationToken) is null)
        {
            return NotFoundContact();
        }

        Id = id;
        ModelState.Clear();
        Input.Addresses.Add(null);
        Pad(extra: 0);
        return Page();
    }

    private IActionResult NotFoundContact() => this.NotFoundPage(new Missing("contact", "/Contacts", "Contacts.BackToList"));

    private void Pad(int extra = SpareAddresses)
    {
        var wanted = Math.Min(ContactDecisions.MaxAddresses, Math.Max(Input.Addresses.Count(a => !string.IsNullOrWhiteSpace(a)) + extra, Input.Addresses.Count));
        while (Input.Addresses.Count < wanted)
        {
            Input.Addresses.Add(null);
        }

        Input.Primary ??= 0;
    }
}
