using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Contacts;

// The organisation's addressees: a stream per contact. Every change a person makes is an audited event, so a
// contact has a History like an account's; whether an address takes mail is not the contact's to say but the
// address's own stream (MailAccounts.Domain.Verification), shown beside it.

/// <summary>An address of a contact; one of them is the contact's primary address.</summary>
public sealed record ContactAddress(string Address, bool Primary);

/// <summary>
/// A contact was added: by hand (<paramref name="Source"/> "manual"), from a message ("message") or by a CSV import
/// ("csv", with the file's name in <paramref name="SourceDetail"/>).
/// </summary>
public sealed record ContactAdded(
    Guid ContactId, string Name, string Organisation, string Notes, IReadOnlyList<ContactAddress> Addresses, string Source, string? SourceDetail,
    Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>Name, organisation or notes changed: the values after the change, and which of them changed.</summary>
public sealed record ContactDetailsChanged(Guid ContactId, string Name, string Organisation, string Notes, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record ContactAddressAdded(Guid ContactId, string Address, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record ContactAddressRemoved(Guid ContactId, string Address, Guid By, DateTimeOffset At) : IAuditedEvent;

public sealed record ContactPrimaryAddressChosen(Guid ContactId, string Address, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>An administrator deleted the contact; its stream stays, for its History.</summary>
public sealed record ContactDeleted(Guid ContactId, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>
/// A contact as its events left it; also the document the contacts list reads. <paramref name="Search"/> is what
/// the list's search matches: name, organisation and addresses in lower case.
/// </summary>
public sealed record Contact(
    Guid Id,
    string Name,
    string Organisation,
    string Notes,
    IReadOnlyList<ContactAddress> Addresses,
    string Search,
    DateTimeOffset AddedAt,
    DateTimeOffset ChangedAt,
    bool Deleted)
{
    public static IReadOnlyList<Type> ChangedBy { get; } =
    [
        typeof(ContactAdded), typeof(ContactDetailsChanged), typeof(ContactAddressAdded), typeof(ContactAddressRemoved),
        typeof(ContactPrimaryAddressChosen), typeof(ContactDeleted),
    ];

    public string? PrimaryAddress => Addresses.FirstOrDefault(a => a.Primary)?.Address ?? Addresses.FirstOrDefault()?.Address;

    public static Contact? Evolve(Contact? state, object @event) => (state, @event) switch
    {
        (null, ContactAdded e) => Searchable(new Contact(e.ContactId, e.Name, e.Organisation, e.Notes, Primaried(e.Addresses), "", e.At, e.At, false)),
        (null, _) => null,
        (_, ContactDetailsChanged e) => Searchable(state with { Name = e.Name, Organisation = e.Organisation, Notes = e.Notes, ChangedAt = e.At }),
        (_, ContactAddressAdded e) when !state.Has(e.Address) =>
            Searchable(state with { Addresses = Primaried([.. state.Addresses, new ContactAddress(e.Address, false)]), ChangedAt = e.At }),
        (_, ContactAddressRemoved e) =>
            Searchable(state with { Addresses = Primaried([.. state.Addresses.Where(a => !Same(a.Address, e.Address))]), ChangedAt = e.At }),
        (_, ContactPrimaryAddressChosen e) when state.Has(e.Address) =>
            state with { Addresses = [.. state.Addresses.Select(a => a with { Primary = Same(a.Address, e.Address) })], ChangedAt = e.At },
        (_, ContactDeleted e) => state with { Deleted = true, ChangedAt = e.At },
        _ => state,
    };

    public bool Has(string address) => Addresses.Any(a => Same(a.Address, address));

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Exactly one primary address while there is any: the first, unless another is chosen.</summary>
    private static IReadOnlyList<ContactAddress> Primaried(IReadOnlyList<ContactAddress> addresses)
    {
        var primary = addresses.FirstOrDefault(a => a.Primary) ?? addresses.FirstOrDefault();
        return [.. addresses.Select(a => a with { Primary = ReferenceEquals(a, primary) })];
    }

    private static Contact Searchable(Contact contact) => contact with
    {
        Search = string.Join(' ', [contact.Name, contact.Organisation, .. contact.Addresses.Select(a => a.Address)]).ToLowerInvariant(),
    };
}
