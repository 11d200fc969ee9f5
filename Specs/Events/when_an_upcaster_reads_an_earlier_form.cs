using System.Text.Json;
using Marten;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using SystemTextJsonUpcaster = Marten.Services.Json.Transformations.SystemTextJson.EventUpcaster<MailAccounts.Specs.Events.ContactRenamed>;

namespace MailAccounts.Specs.Events;

/// <summary>
/// A throwaway event that is no part of the product: it stored a contact's whole name, and now stores its parts.
/// It is outside the Domain assembly, so the pin specs leave it alone.
/// </summary>
public sealed record ContactRenamed(Guid ContactId, string GivenName, string FamilyName, Guid By, DateTimeOffset At);

/// <summary>Reads the earlier form, which had one Name, into the new shape: what a module would register.</summary>
public sealed class ContactRenamedFromOneName : SystemTextJsonUpcaster
{
    public override string EventTypeName => "contact_renamed";

    protected override ContactRenamed Upcast(JsonDocument oldEventJson)
    {
        var earlier = oldEventJson.RootElement;
        var name = earlier.GetProperty("Name").GetString()!;
        var space = name.LastIndexOf(' ');
        return new ContactRenamed(
            earlier.GetProperty("ContactId").GetGuid(),
            space < 0 ? name : name[..space],
            space < 0 ? "" : name[(space + 1)..],
            earlier.GetProperty("By").GetGuid(),
            earlier.GetProperty("At").GetDateTimeOffset());
    }
}

public static class ContactsConfiguration
{
    /// <summary>How a module's Configure… method takes on a changed event.</summary>
    public static StoreOptions ConfigureContacts(this StoreOptions options)
    {
        // New rows get a new name, so that the upcaster below is asked about old rows only.
        options.Events.MapEventTypeWithSchemaVersion<ContactRenamed>(2);
        options.Events.Upcast(new ContactRenamedFromOneName());
        return options;
    }
}

/// <summary>
/// The whole way of a change to an event's shape, on a throwaway event: the pin spec fails and says what to do, the
/// replay spec refuses to read the earlier form as the new shape, re-pinning keeps the earlier form, and with a new
/// stored name and an upcaster old and new rows both read as the new shape.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_an_upcaster_reads_an_earlier_form(ProductFixture product)
{
    // Its pin before the change, as Pinned/ContactRenamed.json held it.
    private static readonly PinnedEvent Earlier = PinnedEvent.Parse("""
        {
          "type": "contact_renamed",
          "dotNetType": "MailAccounts.Specs.Events.ContactRenamed, MailAccounts.Specs",
          "data": {
            "ContactId": "7d1d3f7e-55a4-4be4-9c1a-0f4b4d3b2a11",
            "Name": "Anna Smirnova",
            "By": "c7a392e4-7565-632e-4351-37fc6fdc46e1",
            "At": "2026-03-01T09:30:00+03:00"
          }
        }
        """);

    private static readonly Guid ContactId = new("7d1d3f7e-55a4-4be4-9c1a-0f4b4d3b2a11");

    [Fact]
    public void the_pin_spec_fails_on_the_new_shape_and_says_what_to_do()
    {
        var now = EventSchemas.StoredForm(EventSchemas.ProductOptions, typeof(ContactRenamed));

        var problem = EventSchemas.ShapeProblem(nameof(ContactRenamed), "Pinned/ContactRenamed.json", Earlier, now).ShouldNotBeNull();

        problem.ShouldContain("its JSON changed");
        problem.ShouldContain("upcaster there that reads \"contact_renamed\"");
        problem.ShouldContain(EventSchemas.RepinCommand);
    }

    [Fact]
    public void read_as_the_new_shape_without_an_upcaster_the_earlier_form_would_lose_the_name()
    {
        var read = EventSchemas.Read(EventSchemas.ProductOptions, typeof(ContactRenamed), Earlier.Data);

        var problems = EventReplay.LossProblems(EventSchemas.ProductOptions, read, Earlier.Data);

        problems.ShouldContain(p => p.StartsWith("\"Name\" of the stored form is not read by ContactRenamed"));
        problems.ShouldContain(p => p.StartsWith("ContactRenamed.GivenName is not in the stored form"));
        problems.ShouldContain(p => p.StartsWith("ContactRenamed.FamilyName is not in the stored form"));
    }

    [Fact]
    public void re_pinning_keeps_the_earlier_form_for_the_replay_specs()
    {
        var pins = new PinFolder(Path.Combine(Path.GetTempPath(), "mailaccounts-pins-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            Directory.CreateDirectory(pins.Folder);
            File.WriteAllText(pins.FileFor(typeof(ContactRenamed)), Earlier.ToFileText());
            var now = EventSchemas.StoredForm(EventSchemas.OptionsOf(o => o.ConfigureContacts()), typeof(ContactRenamed));

            pins.Pin(typeof(ContactRenamed), now);

            pins.Current(typeof(ContactRenamed)).ShouldNotBeNull().SameAs(now).ShouldBeTrue();
            pins.All().Select(p => p.Name).ShouldBe(["ContactRenamed.json", "Earlier/ContactRenamed.1.json"]);
            pins.All().Single(p => p.IsEarlier).Pin.SameAs(Earlier).ShouldBeTrue();
        }
        finally
        {
            Directory.Delete(pins.Folder, recursive: true);
        }
    }

    [Fact]
    public async Task with_a_new_stored_name_and_an_upcaster_old_and_new_rows_read_as_the_new_shape()
    {
        const string schema = "specs_upcasting";
        var connectionString = product.Postgres.ConnectionString;
        var now = EventSchemas.StoredForm(EventSchemas.OptionsOf(o => o.ConfigureContacts()), typeof(ContactRenamed));
        now.Type.ShouldNotBe(Earlier.Type);
        await using (var writer = EventSchemas.ProductStorage(connectionString, o => o.ConfigureContacts().DatabaseSchemaName = schema))
        {
            var store = writer.GetRequiredService<IDocumentStore>();
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            await EventRows.InsertStreamAsync(connectionString, schema, ContactId, [Earlier]);
            await using var session = store.LightweightSession();
            session.Events.Append(ContactId, new ContactRenamed(ContactId, "Anna", "Ivanova", Guid.Empty, EventSchemas.SampleTime));
            await session.SaveChangesAsync();
        }

        // Read by a store that has not met the event since it started.
        await using var reader = EventSchemas.ProductStorage(connectionString, o => o.ConfigureContacts().DatabaseSchemaName = schema);
        await using var query = reader.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await query.Events.FetchStreamAsync(ContactId);

        events.Select(e => e.Data).ShouldBe(
        [
            new ContactRenamed(ContactId, "Anna", "Smirnova", Earlier.Data["By"]!.GetValue<Guid>(), EventSchemas.SampleTime),
            new ContactRenamed(ContactId, "Anna", "Ivanova", Guid.Empty, EventSchemas.SampleTime),
        ]);
        (await EventRows.ReadAsync(connectionString, schema)).Select(r => r.Type).ShouldBe([Earlier.Type, now.Type]);
    }
}
