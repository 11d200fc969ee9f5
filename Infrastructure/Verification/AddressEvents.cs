using Marten;
using MailAccounts.Domain.Verification;

namespace MailAccounts.Infrastructure.Verification;

/// <summary>
/// Appends to an address's stream what a decision gives, against the stream as it is: in a transaction of its own, with
/// the stream's version checked, so that two bounces of one address landing at once (two accounts checked together, a
/// refusal while a report is read) are decided one after the other and never both from the same state.
/// </summary>
public static class AddressEvents
{
    private const int Tries = 5;

    /// <summary>The events appended, none when the decision gave none.</summary>
    public static async Task<IReadOnlyList<object>> DecideAsync(
        IDocumentStore store, string address, Func<AddressState?, IReadOnlyList<object>> decide, CancellationToken cancellationToken)
    {
        var id = AddressVerification.IdOf(address);
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<AddressState>(id, cancellationToken);
            var events = decide(stream.Aggregate);
            if (events.Count == 0)
            {
                return events;
            }

            stream.AppendMany(events);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
                return events;
            }
            catch (JasperFx.ConcurrencyException) when (attempt < Tries)
            {
                // Another decision about this address landed first: decide again from what it left.
            }
            catch (Marten.Exceptions.ExistingStreamIdCollisionException) when (attempt < Tries)
            {
                // Both started the stream.
            }
        }
    }
}
