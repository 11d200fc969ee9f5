using JasperFx;
using MailAccounts.Domain.Common;
using Npgsql;
using Wolverine;

namespace MailAccounts.Infrastructure.Common;

/// <summary>The refusal each unique index means, named by the modules that create the indexes.</summary>
public sealed class UniqueIndexRefusals(IEnumerable<KeyValuePair<string, Violation>> refusals)
{
    private readonly IReadOnlyDictionary<string, Violation> byIndex = refusals.ToDictionary(StringComparer.Ordinal);

    public Violation? For(string constraint) =>
        byIndex.FirstOrDefault(i => constraint.Contains(i.Key, StringComparison.Ordinal)).Value;
}

/// <summary>
/// Invokes a command and waits for its <see cref="Outcome"/>, turning the conflicts only the database can see into
/// refusals a page can show: two people saving the same unique value at once, or changing the same stream at once.
/// </summary>
public sealed class Commands(IMessageBus bus, UniqueIndexRefusals uniqueIndexes)
{
    public const string ConcurrentChange = "Common.ConcurrentChange";

    public async Task<Outcome> InvokeAsync(object command, CancellationToken cancellationToken)
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

    private Violation? Refusal(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ConcurrencyException:
                    return new Violation("", ConcurrentChange);
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: { } constraint }:
                    return uniqueIndexes.For(constraint);
                // An Insert of a document whose id is taken: named like its table's primary key.
                case DocumentAlreadyExistsException { DocType: { } type } when uniqueIndexes.For("mt_doc_" + type.Name.ToLowerInvariant()) is { } taken:
                    return taken;
            }
        }

        return null;
    }
}
