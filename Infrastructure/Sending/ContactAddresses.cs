using System.Text;
using Marten;
using Marten.Linq.MatchesSql;
using MailAccounts.Domain.Contacts;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// The organisation's contacts: every user is offered them. A contact matches when each word typed begins a word of its
/// name, its organisation or one of its addresses ("pet" finds Boris Petrov, "exa" everyone at example.com); every
/// address of a matching contact is offered, its primary first. Deleted contacts are never offered.
/// </summary>
public sealed class ContactAddresses : IAddressSource
{
    public async Task<IReadOnlyList<AddressSuggestion>> FindAsync(
        IQuerySession session, Guid userId, string typed, int limit, CancellationToken cancellationToken)
    {
        var terms = typed.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (terms.Length == 0)
        {
            return [];
        }

        // Search is the name, the organisation and the addresses in lower case, separated by blanks; a word starts at
        // its beginning, after a blank or after the punctuation inside an address.
        var sql = string.Join(" and ", terms.Select(_ => "d.data ->> 'Search' ~ ?"));
        var patterns = terms.Select(t => (object)(@"(^|[\s.@_+-])" + Literal(t))).ToArray();
        var found = await session.Query<Contact>()
            .Where(c => !c.Deleted && c.MatchesSql(sql + " and jsonb_array_length(d.data -> 'Addresses') > 0", patterns))
            .OrderBy(c => c.Name)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. found
            .SelectMany(c => c.Addresses.OrderByDescending(a => a.Primary).Select(a => new AddressSuggestion(c.Name, a.Address)))
            .Take(limit)];
    }

    /// <summary>The term as a PostgreSQL regular expression that matches it literally.</summary>
    private static string Literal(string term)
    {
        var literal = new StringBuilder(term.Length * 2);
        foreach (var c in term)
        {
            if (!char.IsLetterOrDigit(c))
            {
                literal.Append('\\');
            }

            literal.Append(c);
        }

        return literal.ToString();
    }
}

/// <summary>Which contacts hold the addresses a page shows: one query for them all.</summary>
public static class ContactsHolding
{
    /// <summary>
    /// The contact (not deleted) that holds each of <paramref name="addresses"/> that any holds, by address in lower case.
    /// Compared without case: a contact saved as Boris@Example.com holds boris@example.com.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, Contact>> OfAsync(
        IQuerySession session, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var wanted = addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(Domain.Verification.AddressVerification.Normalise).Distinct().ToArray();
        if (wanted.Length == 0)
        {
            return new Dictionary<string, Contact>();
        }

        var found = await session.Query<Contact>()
            .Where(c => !c.Deleted && c.MatchesSql(
                "exists (select 1 from jsonb_array_elements(d.data -> 'Addresses') held where lower(trim(held ->> 'Address')) = any(?))", new object[] { wanted }))
            .OrderBy(c => c.Name)
            .ToListAsync(cancellationToken);
        var holding = new Dictionary<string, Contact>(StringComparer.OrdinalIgnoreCase);
        foreach (var contact in found)
        {
            foreach (var address in contact.Addresses.Select(a => Domain.Verification.AddressVerification.Normalise(a.Address)).Where(wanted.Contains))
            {
                holding.TryAdd(address, contact);
            }
        }

        return holding;
    }
}
