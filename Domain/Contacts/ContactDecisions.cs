using MailAccounts.Domain.Common;
using MailAccounts.Domain.Verification;

namespace MailAccounts.Domain.Contacts;

/// <summary>Stable codes for refused contact input; the web host translates them.</summary>
public static class ContactViolations
{
    public const string NameOrAddressRequired = "Contact.NameOrAddressRequired";
    public const string NameTooLong = "Contact.NameTooLong";
    public const string OrganisationTooLong = "Contact.OrganisationTooLong";
    public const string NotesTooLong = "Contact.NotesTooLong";
    public const string TooManyAddresses = "Contact.TooManyAddresses";
    public const string AddressInvalid = "Contact.AddressInvalid";
    public const string AddressRepeated = "Contact.AddressRepeated";

    /// <summary>The address is another contact's: <see cref="Violation.Detail"/> names that contact.</summary>
    public const string AddressTaken = "Contact.AddressTaken";

    /// <summary>Another person saved one of the addresses on a contact between the form's check and its commit.</summary>
    public const string AddressTakenMeanwhile = "Contact.AddressTakenMeanwhile";

    public const string PrimaryNotAmong = "Contact.PrimaryNotAmong";
    public const string Unknown = "Contact.Unknown";
    public const string AdministratorsOnly = "Contact.AdministratorsOnly";
}

/// <summary>
/// The contact form as a person filled it in: the addresses in the order typed (blank fields left out by the page or
/// here), and which of them is the primary one (none: the first).
/// </summary>
public sealed record ContactForm(string Name, string Organisation, string Notes, IReadOnlyList<string> Addresses, string? Primary = null);

/// <summary>Another contact that holds an address already: what the refusal names.</summary>
public sealed record AddressHolder(Guid ContactId, string Name);

/// <summary>
/// The decisions about a contact: pure, so the domain specs need no server. An address belongs to one addressee:
/// <c>taken</c> maps each normalised address (<see cref="AddressVerification.Normalise"/>) that another contact holds
/// to that contact, and an address among them is refused with that contact's name.
/// </summary>
public static class ContactDecisions
{
    public const int MaxName = 200;
    public const int MaxOrganisation = 200;
    public const int MaxNotes = 4000;
    public const int MaxAddresses = 20;

    public const string ManualSource = "manual";
    public const string MessageSource = "message";
    public const string CsvSource = "csv";

    /// <summary>Field names the violations carry; an address's is <c>Addresses[i]</c>, its place on the form.</summary>
    public const string NameField = nameof(ContactForm.Name);

    public const string OrganisationField = nameof(ContactForm.Organisation);
    public const string NotesField = nameof(ContactForm.Notes);
    public const string AddressesField = nameof(ContactForm.Addresses);

    public static string AddressField(int index) => $"{AddressesField}[{index}]";

    public static Decision Add(
        Guid contactId, ContactForm form, IReadOnlyDictionary<string, AddressHolder> taken, string source, string? sourceDetail, Guid by, DateTimeOffset now)
    {
        var (clean, violations) = Validate(form, taken, contactId);
        return Decision.AcceptUnless(violations, () =>
            [new ContactAdded(contactId, clean.Name, clean.Organisation, clean.Notes, Addresses(clean), source, sourceDetail, by, now)]);
    }

    /// <summary>
    /// The form against the contact as it stands: details changed, addresses added and removed, and the primary chosen,
    /// each only when it differs. The same form again gives nothing.
    /// </summary>
    public static Decision Edit(Contact? current, ContactForm form, IReadOnlyDictionary<string, AddressHolder> taken, Guid by, DateTimeOffset now)
    {
        if (current is null || current.Deleted)
        {
            return Decision.Reject([new Violation("", ContactViolations.Unknown)]);
        }

        var (clean, violations) = Validate(form, taken, current.Id);
        if (violations.Count > 0)
        {
            return Decision.Reject(violations);
        }

        var events = new List<object>();
        if (clean.Name != current.Name || clean.Organisation != current.Organisation || clean.Notes != current.Notes)
        {
            events.Add(new ContactDetailsChanged(current.Id, clean.Name, clean.Organisation, clean.Notes, by, now));
        }

        foreach (var removed in current.Addresses.Where(a => !clean.Addresses.Any(c => Same(c, a.Address))))
        {
            events.Add(new ContactAddressRemoved(current.Id, removed.Address, by, now));
        }

        foreach (var added in clean.Addresses.Where(a => !current.Has(a)))
        {
            events.Add(new ContactAddressAdded(current.Id, added, by, now));
        }

        // The primary the view would keep after these events, against the one chosen: only a difference is an event.
        var after = events.Aggregate(current, (state, e) => Contact.Evolve(state, e)!);
        var primary = clean.Addresses.FirstOrDefault(a => Same(a, clean.Primary ?? "")) ?? clean.Addresses.FirstOrDefault();
        if (primary is not null && !Same(after.PrimaryAddress ?? "", primary))
        {
            events.Add(new ContactPrimaryAddressChosen(current.Id, after.Addresses.First(a => Same(a.Address, primary)).Address, by, now));
        }

        return Decision.Accept([.. events]);
    }

    /// <summary>Only administrators delete a contact; its stream stays for its History.</summary>
    public static Decision Delete(Contact? current, bool administrator, Guid by, DateTimeOffset now) =>
        current is null || current.Deleted
            ? Decision.Reject([new Violation("", ContactViolations.Unknown)])
            : !administrator
                ? Decision.Reject([new Violation("", ContactViolations.AdministratorsOnly)])
                : Decision.Accept(new ContactDeleted(current.Id, by, now));

    /// <summary>
    /// Every rule at once, so that the form shows all its mistakes together; the form comes back trimmed, blank
    /// addresses dropped, the primary one named as it is among them.
    /// </summary>
    public static (ContactForm Clean, IReadOnlyList<Violation> Violations) Validate(
        ContactForm form, IReadOnlyDictionary<string, AddressHolder> taken, Guid self)
    {
        var violations = new List<Violation>();
        var name = (form.Name ?? "").Trim();
        var organisation = (form.Organisation ?? "").Trim();
        var notes = (form.Notes ?? "").Trim();
        if (name.Length > MaxName)
        {
            violations.Add(new Violation(NameField, ContactViolations.NameTooLong));
        }

        if (organisation.Length > MaxOrganisation)
        {
            violations.Add(new Violation(OrganisationField, ContactViolations.OrganisationTooLong));
        }

        if (notes.Length > MaxNotes)
        {
            violations.Add(new Violation(NotesField, ContactViolations.NotesTooLong));
        }

        var typed = (form.Addresses ?? []).Select((a, i) => (Address: (a ?? "").Trim(), Index: i)).Where(a => a.Address.Length > 0).ToArray();
        if (typed.Length > MaxAddresses)
        {
            violations.Add(new Violation(AddressesField, ContactViolations.TooManyAddresses));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (address, index) in typed)
        {
            var key = AddressVerification.Normalise(address);
            if (!EmailAddress.IsValid(address))
            {
                violations.Add(new Violation(AddressField(index), ContactViolations.AddressInvalid));
            }
            else if (!seen.Add(key))
            {
                violations.Add(new Violation(AddressField(index), ContactViolations.AddressRepeated));
            }
            else if (taken.TryGetValue(key, out var holder) && holder.ContactId != self)
            {
                violations.Add(new Violation(AddressField(index), ContactViolations.AddressTaken, holder.Name));
            }
        }

        if (name.Length == 0 && typed.Length == 0)
        {
            violations.Add(new Violation(NameField, ContactViolations.NameOrAddressRequired));
        }

        var addresses = typed.Select(a => a.Address).ToArray();
        string? primary = null;
        if (!string.IsNullOrWhiteSpace(form.Primary))
        {
            primary = addresses.FirstOrDefault(a => Same(a, form.Primary));
            if (primary is null)
            {
                violations.Add(new Violation(AddressesField, ContactViolations.PrimaryNotAmong));
            }
        }

        return (new ContactForm(name, organisation, notes, addresses, primary), violations);
    }

    private static IReadOnlyList<ContactAddress> Addresses(ContactForm clean)
    {
        var primary = clean.Addresses.FirstOrDefault(a => Same(a, clean.Primary ?? "")) ?? clean.Addresses.FirstOrDefault();
        return [.. clean.Addresses.Select(a => new ContactAddress(a, ReferenceEquals(a, primary)))];
    }

    private static bool Same(string a, string b) => AddressVerification.Normalise(a) == AddressVerification.Normalise(b);
}
