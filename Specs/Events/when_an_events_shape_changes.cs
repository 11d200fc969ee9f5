using MailAccounts.Domain.Common;

namespace MailAccounts.Specs.Events;

/// <summary>
/// Every event's stored form is pinned in Pinned/&lt;EventType&gt;.json: the JSON the product's Marten writes for a
/// fixed sample, the event type name (<c>mt_events.type</c>) and the CLR name (<c>mt_events.mt_dotnet_type</c>).
/// Old streams hold those forms for good, so a change to any of them fails here until an upcaster or a new event type
/// reads the old form, and the pins are renewed on purpose:
/// <c>PIN_EVENTS=1 dotnet test Specs -c Release --filter FullyQualifiedName~when_an_events_shape_changes</c>
/// rewrites the pins from the current types (keeping each replaced pin under Pinned/Earlier/) instead of checking them.
/// </summary>
public sealed class when_an_events_shape_changes
{
    private static readonly PinFolder Pins = PinFolder.Product;

    public static TheoryData<string> EventTypes => new(EventSchemas.EventTypes.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void it_is_still_stored_as_pinned(string eventType)
    {
        var type = EventSchemas.EventTypes.Single(t => t.Name == eventType);
        var current = EventSchemas.StoredForm(EventSchemas.ProductOptions, type);

        if (EventSchemas.Repinning)
        {
            Pins.Pin(type, current);
            return;
        }

        if (EventSchemas.ShapeProblem(type.Name, PinFolder.Display(Pins.FileFor(type)), Pins.Current(type), current) is { } problem)
        {
            Assert.Fail(problem);
        }
    }

    [Fact]
    public void every_current_pin_belongs_to_an_event_type()
    {
        var orphans = Pins.All().Where(p => !p.IsEarlier && EventSchemas.EventTypes.All(t => t.Name + ".json" != p.Name)).ToList();

        if (EventSchemas.Repinning)
        {
            // The event was renamed or removed, but its rows are still in the databases: its form stays pinned.
            orphans.ForEach(o => Pins.KeepAsEarlier(Path.Combine(Pins.Folder, o.Name)));
            return;
        }

        orphans.ShouldBeEmpty(
            $"These pins name no event type any more. Their rows are still in every database: keep a way to read them "
            + $"(MapEventType or an upcaster), then run `{EventSchemas.RepinCommand}`, which moves the pins to Pinned/Earlier/.");
    }

    [Fact]
    public void every_event_is_found_and_says_who_did_it_and_when()
    {
        EventSchemas.EventTypes.Count.ShouldBeGreaterThan(0);
        EventSchemas.EventTypes
            .Where(t => !typeof(IAuditedEvent).IsAssignableFrom(t) && !typeof(MailAccounts.Domain.Import.IImportEvent).IsAssignableFrom(t)
                && !typeof(MailAccounts.Domain.Verification.IVerificationEvent).IsAssignableFrom(t))
            .ShouldBeEmpty("Settings events carry the actor and the time (IAuditedEvent); events of imported mail the time (IImportEvent); "
                + "what is learnt about an address, the address and the time (IVerificationEvent).");
        EventSchemas.EventTypes
            .Where(t => t.GetMethod("<Clone>$") is null || !t.IsSealed)
            .ShouldBeEmpty("Events are sealed records.");
    }

    [Fact]
    public void no_two_events_are_stored_under_one_name()
    {
        var forms = EventSchemas.EventTypes.Select(t => (Type: t, Form: EventSchemas.StoredForm(EventSchemas.ProductOptions, t))).ToList();

        forms.GroupBy(f => f.Form.Type).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(f => f.Type.FullName))}")
            .ShouldBeEmpty("Marten could not tell these apart when reading them back.");
    }

    [Fact]
    public void every_sample_fills_every_member()
    {
        // A pin with a null in it pins less than the event can hold: teach the sample builder the missing type.
        foreach (var type in EventSchemas.EventTypes)
        {
            var data = EventSchemas.StoredForm(EventSchemas.ProductOptions, type).Data;
            data.Where(member => member.Value is null).Select(member => $"{type.Name}.{member.Key}").ShouldBeEmpty();
        }
    }
}
