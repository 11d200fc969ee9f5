using System.Text.Json.Nodes;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Settings;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Storage;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Events;

/// <summary>
/// The pins against the real thing: the product's Marten set-up on the specs' PostgreSQL, each spec in a schema of its
/// own so that the product's data stays as the other specs expect it. A store is built fresh for each spec, so it knows
/// no event type yet, as after a restart.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_old_streams_are_read_from_postgres(ProductFixture product)
{
    private static readonly PinFolder Pins = PinFolder.Product;

    public static TheoryData<string> Aggregates => new(EventReplay.Aggregates.Select(a => a.Name));

    [Fact]
    public async Task the_product_stores_every_event_as_pinned()
    {
        const string schema = "specs_stored_forms";
        await using var storage = EventSchemas.ProductStorage(product.Postgres.ConnectionString, o => o.DatabaseSchemaName = schema);
        await using (var session = storage.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            // One stream per aggregate, as the product writes them, so that the inline projections run as they do there.
            foreach (var aggregate in EventReplay.Aggregates)
            {
                var events = EventSchemas.EventTypes
                    .Where(t => EventReplay.AggregateFor(t.FullName!) == aggregate)
                    .OrderBy(t => t == aggregate.CreationEvent ? 0 : 1)
                    .Select(EventSchemas.Sample)
                    .ToArray();
                session.Events.StartStream(aggregate.StateType, aggregate.StreamId(), events);
            }

            await session.SaveChangesAsync();
        }

        var rows = await EventRows.ReadAsync(product.Postgres.ConnectionString, schema);

        rows.Count.ShouldBe(EventSchemas.EventTypes.Count);
        foreach (var type in EventSchemas.EventTypes)
        {
            var pin = Pins.Current(type).ShouldNotBeNull($"{type.Name} has no pin: run the pin spec first.");
            var row = rows.SingleOrDefault(r => r.Type == pin.Type).ShouldNotBeNull($"No {type.Name} was stored as \"{pin.Type}\".");
            row.DotNetType.ShouldBe(pin.DotNetType);
            JsonNode.DeepEquals(row.Data, pin.Data).ShouldBeTrue($"{type.Name} was stored as {row.Data.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(Aggregates))]
    public async Task every_pinned_form_of_the_aggregate_replays_after_a_restart(string aggregate) =>
        await (aggregate switch
        {
            "Account" => ReplaysAsync<Account>(EventReplay.Account),
            "MailSettings" => ReplaysAsync<MailSettings>(EventReplay.MailSettings),
            "User" => ReplaysAsync<User>(EventReplay.User),
            "OutgoingServer" => ReplaysAsync<OutgoingServer>(EventReplay.OutgoingServer),
            "SignInProvider" => ReplaysAsync<MailAccounts.Domain.SignInProviders.SignInProvider>(EventReplay.SignInProvider),
            "Letter" => ReplaysAsync<MailAccounts.Domain.Import.Letter>(EventReplay.Letter),
            "QuarantinedMessage" => ReplaysAsync<MailAccounts.Domain.Import.QuarantinedMessage>(EventReplay.Quarantined),
            "Contact" => ReplaysAsync<MailAccounts.Domain.Contacts.Contact>(EventReplay.Contact),
            "AddressState" => ReplaysAsync<MailAccounts.Domain.Verification.AddressState>(EventReplay.Address),
            _ => throw new InvalidOperationException($"Teach this spec to load {aggregate}."),
        });

    [Fact]
    public async Task every_event_the_product_has_stored_is_pinned()
    {
        // Whatever the specs that ran before this one appended through the product: a row of a kind nobody pinned is
        // an event type the pin spec did not find.
        var pinned = EventSchemas.EventTypes.Select(Pins.Current).OfType<PinnedEvent>().ToList();

        var rows = await EventRows.ReadAsync(product.Postgres.ConnectionString, StorageConfiguration.Schema);

        rows.ShouldNotBeEmpty("The seeded administrator at least was registered.");
        rows.Select(r => (r.Type, r.DotNetType)).Distinct()
            .Where(r => !pinned.Any(p => p.Type == r.Type && p.DotNetType == r.DotNetType))
            .ShouldBeEmpty("The product stored events that are not pinned: make them found by EventSchemas.EventTypes.");
    }

    private static JsonNode Json(object @event) => JsonNode.Parse(EventSchemas.ProductOptions.Serializer().ToJson(@event))!;

    /// <summary>
    /// Writes every pinned form of the aggregate's events, current and earlier, into one stream as raw rows, the
    /// creation first, and reads it back the ways the product does: the stream itself, a live aggregation through the
    /// registered projection, the projection rebuilt into its document, and (for accounts) the settings history.
    /// </summary>
    private async Task ReplaysAsync<T>(Aggregate aggregate)
        where T : class
    {
        var schema = "specs_replay_" + aggregate.Name.ToLowerInvariant();
        var connectionString = product.Postgres.ConnectionString;
        var streamId = aggregate.StreamId();
        var pins = Pins.All()
            .Where(p => EventReplay.AggregateFor(p.Pin.FullName) == aggregate)
            .OrderBy(p => !p.IsEarlier && p.Name == aggregate.CreationEvent?.Name + ".json" ? 0 : 1)
            .ToList();
        pins.ShouldNotBeEmpty();

        await using var storage = EventSchemas.ProductStorage(connectionString, o => o.DatabaseSchemaName = schema);
        var store = storage.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await EventRows.InsertStreamAsync(connectionString, schema, streamId, [.. pins.Select(p => p.Pin)]);

        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId);

        events.Count.ShouldBe(pins.Count);
        foreach (var (e, pin) in events.Zip(pins))
        {
            EventSchemas.EventTypes.ShouldContain(e.Data.GetType(), $"{pin} was read as a {e.Data.GetType()}.");
            // A form that reads as plain deserialization would read it was not upcast (the name was current, or Marten
            // fell back to mt_dotnet_type): it must read whole. An upcaster's work is its own to get right.
            var plain = EventSchemas.Read(EventSchemas.ProductOptions, e.Data.GetType(), pin.Pin.Data);
            if (JsonNode.DeepEquals(Json(plain), Json(e.Data)))
            {
                EventReplay.LossProblems(EventSchemas.ProductOptions, e.Data, pin.Pin.Data).ShouldBeEmpty(
                    $"{pin} is read without an upcaster, as {e.Data.GetType().Name}: register one for \"{pin.Pin.Type}\" in the module's Configure… method.");
            }
        }

        var replayed = aggregate.Describe(events.Aggregate((object?)null, (state, e) => aggregate.Evolve(state, e.Data)));
        replayed.ShouldNotBeEmpty();

        var live = (await session.Events.AggregateStreamAsync<T>(streamId)).ShouldNotBeNull();
        aggregate.Describe(live).ShouldBe(replayed);

        await store.Advanced.RebuildSingleStreamAsync<T>(streamId);
        await using var reader = store.QuerySession();
        aggregate.Describe((await reader.LoadAsync<T>(streamId)).ShouldNotBeNull()).ShouldBe(replayed);

        if (typeof(T) == typeof(Account))
        {
            var history = await SettingsHistory.LoadAsync<Account>(reader, streamId, Account.Evolve, Account.Settings, CancellationToken.None);
            history.Count.ShouldBe(pins.Count);
        }
    }
}
