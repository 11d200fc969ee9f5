using System.Data.Common;
using Weasel.Core;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace MailAccounts.Infrastructure.Storage;

/// <summary>
/// How PostgreSQL keeps one column's values, which Weasel has no word for: set by an object of the schema after the
/// table is created, and on a database from before it. The query reads the column's row in <c>pg_attribute</c> (no row:
/// the table is new) and <see cref="IsSet"/> says whether it is as wanted.
/// </summary>
public abstract class ColumnSetting(string table, string column, string name) : ISchemaObject
{
    protected DbObjectName Table { get; } = Weasel.Postgresql.PostgresqlProvider.Instance.Parse(table);

    protected string Column => column;

    public DbObjectName Identifier => Weasel.Postgresql.PostgresqlProvider.Instance.Parse($"{Table.Schema}.{Table.Name}_{column}_{name}");

    public abstract void WriteCreateStatement(Migrator migrator, TextWriter writer);

    public abstract void WriteDropStatement(Migrator rules, TextWriter writer);

    /// <summary>What the check reads of the column's row in <c>pg_attribute</c> (as <c>a</c>).</summary>
    protected abstract string Read { get; }

    /// <summary>Whether the row read says the column is kept as wanted.</summary>
    protected abstract bool IsSet(DbDataReader row);

    public void ConfigureQueryCommand(DbCommandBuilder builder)
    {
        builder.Append($"select {Read} from pg_attribute a where a.attrelid = to_regclass(");
        builder.AppendParameter(Table.QualifiedName);
        builder.Append(") and a.attname = ");
        builder.AppendParameter(column);
        builder.Append(";");
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
    {
        var set = await reader.ReadAsync(ct) && IsSet(reader);
        return new SchemaObjectDelta(this, set ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}
