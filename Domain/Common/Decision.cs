namespace MailAccounts.Domain.Common;

/// <summary>
/// Why a command was refused: the field the user can correct and a stable code the UI translates, with the
/// specifics (a template's parse error, say) in <paramref name="Detail"/> where there are any.
/// </summary>
public sealed record Violation(string Field, string Code, string? Detail = null);

/// <summary>The outcome of a decision: the events to append, or the reasons nothing is appended.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<object> events, IReadOnlyList<Violation> violations)
    {
        Events = events;
        Violations = violations;
    }

    public IReadOnlyList<object> Events { get; }

    public IReadOnlyList<Violation> Violations { get; }

    public bool IsAccepted => Violations.Count == 0;

    public static Decision Accept(params object[] events) => new(events, []);

    public static Decision Reject(IEnumerable<Violation> violations)
    {
        var list = violations.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("A rejection needs at least one violation.", nameof(violations));
        }

        return new Decision([], list);
    }

    /// <summary>Accepts when no rule was broken, otherwise rejects with every broken rule at once.</summary>
    public static Decision AcceptUnless(IReadOnlyCollection<Violation> violations, Func<object[]> events) =>
        violations.Count == 0 ? Accept(events()) : Reject(violations);
}
