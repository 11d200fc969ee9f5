namespace MailAccounts.Specs.Events;

/// <summary>
/// Every pinned form, current or earlier, is what some stream in some database holds: it must still read into a
/// current event without losing anything, and replay through its aggregate's Evolve. Forms stored under a name no
/// current event is written under are read through an upcaster, which Marten runs on its database read path only:
/// <see cref="when_old_streams_are_read_from_postgres"/> reads those.
/// </summary>
public sealed class when_old_streams_replay
{
    private static readonly PinFolder Pins = PinFolder.Product;

    public static TheoryData<string> PinsReadWithoutAnUpcaster =>
        new(Pins.All().Where(p => EventSchemas.TypeStoredAs(p.Pin.Type) is not null).Select(p => p.Name));

    [Theory]
    [MemberData(nameof(PinsReadWithoutAnUpcaster))]
    public void the_pinned_form_reads_into_its_event_without_loss(string pin)
    {
        var stored = Pins.All().Single(p => p.Name == pin).Pin;
        var type = EventSchemas.TypeStoredAs(stored.Type)!;

        if (!EventSchemas.KnownAtStart(stored.Type))
        {
            Type.GetType(stored.DotNetType).ShouldBe(type,
                $"A store that has just started reads \"{stored.Type}\" rows by mt_dotnet_type \"{stored.DotNetType}\". "
                + $"Register {type.Name} with options.Events.AddEventType in its module's Configure… method, so that the name is enough.");
        }

        var read = EventSchemas.Read(EventSchemas.ProductOptions, type, stored.Data);
        EventReplay.LossProblems(EventSchemas.ProductOptions, read, stored.Data).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(PinsReadWithoutAnUpcaster))]
    public void the_pinned_form_replays_through_its_aggregate(string pin)
    {
        var stored = Pins.All().Single(p => p.Name == pin).Pin;
        var read = EventSchemas.Read(EventSchemas.ProductOptions, EventSchemas.TypeStoredAs(stored.Type)!, stored.Data);

        if (EventReplay.ReplayProblem(read) is { } problem)
        {
            Assert.Fail(problem);
        }
    }
}
