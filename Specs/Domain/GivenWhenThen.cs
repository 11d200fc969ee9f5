using System.Text.Json;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;

namespace MailAccounts.Specs.Domain;

/// <summary>A Domain spec in three steps: given events, when a decision, then its events or its refusal.</summary>
internal static class Given
{
    public static Scenario<Account> Account(params object[] events) => new(MailAccounts.Domain.Accounts.Account.Evolve, events);

    public static Scenario<OutgoingServer> OutgoingServer(params object[] events) => new(MailAccounts.Domain.Outgoing.OutgoingServer.Evolve, events);
}

internal sealed class Scenario<TState>(Func<TState?, object, TState?> evolve, IReadOnlyList<object> given) where TState : class
{
    /// <summary>The state the given events leave, folded with the aggregate's own Evolve.</summary>
    public TState? State => given.Aggregate((TState?)null, evolve);

    public Decided When(Func<TState?, Decision> decide) => new(decide(State), State, evolve);

    internal sealed record Decided(Decision Decision, TState? Before, Func<TState?, object, TState?> Evolve)
    {
        public IReadOnlyList<object> Events => Decision.Events;

        /// <summary>The state after the decision's events: what a later command would see.</summary>
        public TState? After => Decision.Events.Aggregate(Before, Evolve);

        /// <summary>Exactly these events, in this order, compared by type and value (lists too).</summary>
        public void Then(params object[] events)
        {
            Decision.Violations.ShouldBeEmpty();
            Decision.Events.Select(Shape).ShouldBe(events.Select(Shape));
        }

        public void ThenNothing() => Then();

        public void ThenRefused(string field, string code) => Decision.ShouldBeRefusedWith(field, code);

        private static string Shape(object e) => $"{e.GetType().Name} {JsonSerializer.Serialize(e, e.GetType())}";
    }
}
