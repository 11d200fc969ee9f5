using JasperFx.Events.Projections;
using MailAccounts.Infrastructure.Diagnostics;

namespace MailAccounts.Specs.Events;

/// <summary>
/// Each projected view tells Marten which events it reads, so that a commit without them leaves its document alone and
/// a rebuild reads only those rows. An event left out must then be one its Evolve ignores: otherwise the view would
/// silently stop following it.
/// </summary>
public sealed class when_a_view_reads_only_its_events
{
    public static TheoryData<string> Views => new(ProjectedViews.All.Select(v => v.Name));

    [Theory]
    [MemberData(nameof(Views))]
    public void every_event_it_leaves_out_leaves_it_as_it_was(string name)
    {
        var view = ProjectedViews.All.Single(v => v.Name == name);
        var read = ReadBy(view);
        read.ShouldNotBeEmpty();

        // The view as a full stream of the events it reads leaves it: created first, then each of the others.
        var creation = read.Where(t => view.Evolve(null, EventSchemas.Sample(t)) is not null).ToArray();
        creation.ShouldNotBeEmpty($"{name}: none of the events it reads creates it");
        var state = read.Except([creation[0]]).Aggregate(view.Evolve(null, EventSchemas.Sample(creation[0])), (s, t) => view.Evolve(s, EventSchemas.Sample(t)));
        state.ShouldNotBeNull();

        var problems = EventSchemas.EventTypes.Except(read)
            .Where(t => !ReferenceEquals(view.Evolve(state, EventSchemas.Sample(t)), state) || view.Evolve(null, EventSchemas.Sample(t)) is not null)
            .Select(t => t.Name)
            .ToArray();
        problems.ShouldBeEmpty($"{name}'s Evolve reads these, but its projection does not ask Marten for them: add them to {view.Document.Name}.ChangedBy");
    }

    private static IReadOnlyList<Type> ReadBy(ProjectedView view) =>
        ((EventFilterable)Activator.CreateInstance(view.Projection)!).IncludedEventTypes;
}
