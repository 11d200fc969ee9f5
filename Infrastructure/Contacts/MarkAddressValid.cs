using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>
/// A user pressed Mark valid beside an address of a contact: the address's own stream records it, so the mark goes
/// wherever the address appears. Only an address the contact holds: the button is on the contact's page.
/// </summary>
public sealed record MarkAddressValid(Actor Actor, Guid ContactId, string Address);

public static class MarkAddressValidHandler
{
    public static async Task<Outcome> Handle(MarkAddressValid command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await ContactQueries.FindAsync(session, command.ContactId, cancellationToken) is not { } contact || !contact.Has(command.Address ?? ""))
        {
            return new Outcome(command.ContactId, [new Violation("", ContactViolations.Unknown)]);
        }

        // A press on an address not marked (another tab cleared it first) appends nothing and is not an error.
        await EventStreams.DecideAsync<AddressState>(session, AddressVerification.IdOf(command.Address!),
            state => Decision.Accept([.. AddressVerification.MarkedValidBy(state, command.Actor.UserId, now)]), cancellationToken);
        return new Outcome(command.ContactId, []);
    }
}
