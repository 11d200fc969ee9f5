using System.Collections.Concurrent;
using JasperFx;
using MailAccounts.Domain.Common;
using Npgsql;
using Wolverine;

namespace MailAccounts.Infrastructure.Common;

/// <summary>
/// Sends a command and turns the conflicts that only the database can see into refusals a page can show:
/// two people saving the same unique value at once, or changing the same stream at once.
/// </summary>
public static class CommandBus
{
    public const string ConcurrentChange = "Common.ConcurrentChange";

    // Concurrent: every host in the process (the specs run several) configures its store at the same time.
    private static readonly ConcurrentDictionary<string, Violation> UniqueIndexes = new(StringComparer.Ordinal);

    /// <summary>Modules name their unique indexes here with the refusal a violation means.</summary>
    public static void RefuseDuplicates(string indexName, Violation violation) => UniqueIndexes[indexName] = violation;

    public static async Task<Outcome> SendAsync(this IMessageBus bus, object command, CancellationToken cancellationToken)
    {
        try
        {
            return await bus.InvokeAsync<Outcome>(command, cancellationToken);
        }
        catch (Exception e) when (Refusal(e) is { } violation)
        {
            return new Outcome(Guid.Empty, [violation]);
        }
    }

    private static Violation? Refusal(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ConcurrencyException:
                    return new Violation("", ConcurrentChange);
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: { } constraint }:
                    return UniqueIndexes.FirstOrDefault(i => constraint.Contains(i.Key, StringComparison.Ordinal)).Value;
            }
        }

        return null;
    }
}
