using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>
/// Which contact holds an address: a document per address, its id the normalised address, written in the transaction
/// of the events that give or take the address. The decisions refuse an address another contact holds from what they
/// read; this is what makes two people saving the same address at the same moment fail one of them, at the
/// database's primary key, rather than both succeed.
/// </summary>
public sealed record ContactAddressClaim(string Id, Guid ContactId);

public static class AddressClaims
{
    /// <summary>The refusal the primary key of the claims means, for <see cref="Common.Commands"/>.</summary>
    public static readonly KeyValuePair<string, Violation>[] UniqueIndexRefusals =
        [new("mt_doc_contactaddressclaim", new Violation("", ContactViolations.AddressTakenMeanwhile))];

    /// <summary>The claims the events give and take, queued on <paramref name="session"/> with them.</summary>
    public static void Follow(IDocumentSession session, Contact? before, IEnumerable<object> events)
    {
        foreach (var @event in events)
        {
            switch (@event)
            {
                case ContactAdded added:
                    foreach (var address in added.Addresses)
                    {
                        session.Insert(new ContactAddressClaim(AddressVerification.Normalise(address.Address), added.ContactId));
                    }

                    break;
                case ContactAddressAdded added:
                    session.Insert(new ContactAddressClaim(AddressVerification.Normalise(added.Address), added.ContactId));
                    break;
                case ContactAddressRemoved removed:
                    session.Delete<ContactAddressClaim>(AddressVerification.Normalise(removed.Address));
                    break;
                case ContactDeleted deleted:
                    // A deleted contact holds its addresses no more: they may go on another contact.
                    foreach (var address in before?.Addresses ?? [])
                    {
                        session.Delete<ContactAddressClaim>(AddressVerification.Normalise(address.Address));
                    }

                    break;
            }
        }
    }
}
