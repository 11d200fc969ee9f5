using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using MailAccounts.Domain.Verification;

namespace MailAccounts.Infrastructure.Verification;

/// <summary>Each address's stream projected inline into <see cref="AddressState"/>, which every page showing the mark reads.</summary>
public static class Configuration
{
    public static StoreOptions ConfigureVerification(this StoreOptions options)
    {
        options.Projections.Add(new AddressStateProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<AddressState>().Index(a => a.Address).Index(a => a.Invalid);
        return options;
    }
}

/// <summary>Marten's entry to the pure <see cref="AddressState.Evolve"/>.</summary>
public sealed class AddressStateProjection : SingleStreamProjection<AddressState, Guid>
{
    public AddressStateProjection() => IncludedEventTypes.AddRange(AddressState.ChangedBy);

    public override AddressState? Evolve(AddressState? snapshot, Guid id, IEvent e) => AddressState.Evolve(snapshot, e.Data);
}

/// <summary>What pages ask about addresses: one query for all the addresses a page shows.</summary>
public static class AddressStates
{
    /// <summary>The state of each of <paramref name="addresses"/> that has any, by normalised address.</summary>
    public static async Task<IReadOnlyDictionary<string, AddressState>> OfAsync(
        IQuerySession session, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var ids = addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(AddressVerification.IdOf).Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<string, AddressState>();
        }

        var found = await session.LoadManyAsync<AddressState>(cancellationToken, ids);
        return found.ToDictionary(s => s.Address, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The addresses among <paramref name="addresses"/> marked invalid, by normalised address.</summary>
    public static async Task<IReadOnlyDictionary<string, AddressState>> InvalidAmongAsync(
        IQuerySession session, IEnumerable<string> addresses, CancellationToken cancellationToken) =>
        (await OfAsync(session, addresses, cancellationToken)).Where(p => p.Value.Invalid).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
}
