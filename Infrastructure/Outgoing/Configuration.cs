using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using MailAccounts.Domain.Outgoing;

namespace MailAccounts.Infrastructure.Outgoing;

public static class Configuration
{
    public static StoreOptions ConfigureOutgoingServers(this StoreOptions options)
    {
        options.Projections.Add(new OutgoingServerProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<OutgoingServer>().Index(s => s.OwnerId);
        return options;
    }
}

/// <summary>Marten's entry to the pure <see cref="OutgoingServer.Evolve"/>.</summary>
public sealed class OutgoingServerProjection : SingleStreamProjection<OutgoingServer, Guid>
{
    public OutgoingServerProjection() => IncludedEventTypes.AddRange(OutgoingServer.ChangedBy);

    public override OutgoingServer? Evolve(OutgoingServer? snapshot, Guid id, IEvent e) => OutgoingServer.Evolve(snapshot, e.Data);
}
