using Marten;
using Marten.Linq.MatchesSql;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>One page of the contacts list, by name.</summary>
public sealed record ContactPage(IReadOnlyList<Contact> Contacts, int Total, int Page, int PageCount);

/// <summary>
/// What pages and handlers read of contacts. Contacts are the organisation's: every signed-in user reads them all, so
/// nothing here takes a viewer; a deleted contact is nobody's and is never found.
/// </summary>
public static class ContactQueries
{
    public static async Task<Contact?> FindAsync(IQuerySession session, Guid contactId, CancellationToken cancellationToken) =>
        await session.LoadAsync<Contact>(contactId, cancellationToken) is { Deleted: false } contact ? contact : null;

    /// <summary>
    /// A page of the contacts whose name, organisation or an address contains <paramref name="search"/> (any case;
    /// every word of it, in any order), by name.
    /// </summary>
    public static async Task<ContactPage> PageAsync(IQuerySession session, string? search, int page, int pageSize, CancellationToken cancellationToken)
    {
        var query = Matching(session, search);
        var total = await query.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pageCount);
        var contacts = await Matching(session, search)
            .OrderBy(c => c.Search)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new ContactPage(contacts, total, page, pageCount);
    }

    /// <summary>The contacts holding any of <paramref name="addresses"/>, by normalised address: one query for them all.</summary>
    public static async Task<IReadOnlyDictionary<string, AddressHolder>> HoldersAsync(
        IQuerySession session, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var wanted = addresses.Select(AddressVerification.Normalise).Where(a => a.Length > 0).Distinct().ToArray();
        if (wanted.Length == 0)
        {
            return new Dictionary<string, AddressHolder>();
        }

        var holders = await session.Query<Contact>()
            .Where(c => !c.Deleted && c.MatchesSql(
                "exists (select 1 from jsonb_array_elements(d.data -> 'Addresses') a where lower(trim(a ->> 'Address')) = any(?))", new object[] { wanted }))
            .ToListAsync(cancellationToken);
        var found = new Dictionary<string, AddressHolder>(StringComparer.Ordinal);
        foreach (var contact in holders)
        {
            foreach (var address in contact.Addresses.Select(a => AddressVerification.Normalise(a.Address)).Where(wanted.Contains))
            {
                found.TryAdd(address, new AddressHolder(contact.Id, Title(contact)));
            }
        }

        return found;
    }

    /// <summary>The contact holding the address, if any.</summary>
    public static async Task<Contact?> ByAddressAsync(IQuerySession session, string address, CancellationToken cancellationToken) =>
        await HoldersAsync(session, [address], cancellationToken) is var holders && holders.Values.FirstOrDefault() is { } holder
            ? await FindAsync(session, holder.ContactId, cancellationToken)
            : null;

    /// <summary>How a contact is named where a name is needed: its name, or its primary address when it has none.</summary>
    public static string Title(Contact contact) => contact.Name.Length > 0 ? contact.Name : contact.PrimaryAddress ?? "";

    private static IQueryable<Contact> Matching(IQuerySession session, string? search)
    {
        var query = session.Query<Contact>().Where(c => !c.Deleted);
        foreach (var word in (search ?? "").ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(10))
        {
            query = query.Where(c => c.MatchesSql("d.data ->> 'Search' like ? escape '\\'", "%" + Escaped(word) + "%"));
        }

        return query;
    }

    private static string Escaped(string word) => word.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
