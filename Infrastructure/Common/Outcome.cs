using MailAccounts.Domain.Common;

namespace MailAccounts.Infrastructure.Common;

/// <summary>What a command handler answers a page: the id it acted on, or why it refused.</summary>
public record Outcome(Guid Id, IReadOnlyList<Violation> Violations)
{
    public bool Succeeded => Violations.Count == 0;

    public static Outcome Of(Guid id, Decision decision) => new(id, decision.Violations);
}
