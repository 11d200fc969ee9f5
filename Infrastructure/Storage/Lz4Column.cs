using System.Data.Common;
using Weasel.Core;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace MailAccounts.Infrastructure.Storage;

/// <summary>
/// A column whose long values PostgreSQL compresses with LZ4 (<c>SET COMPRESSION lz4</c>) instead of its default, pglz:
/// several times faster to compress and to read back, for text written with every imported letter (its text for search
/// and its search document), where pglz was about 2 % of the machine's time during an import. A server built without
/// LZ4 keeps pglz. Weasel has no column compression of its own; this object sets it after the table is created, and on
/// a database from before it.
/// </summary>
public sealed class Lz4Column(string table, string column) : ISchemaObject
{
    private readonly DbObjectName _table = Weasel.Postgresql.PostgresqlProvider.Instance.Parse(table);

    public DbObjectName Identifier => Weasel.Postgresql.PostgresqlProvider.Instance.Parse($"{_table.Schema}.{_table.Name}_{column}_lz4");

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine(
            $"DO $$ BEGIN IF 'lz4' = ANY ((SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression')::text[]) THEN " +
            $"ALTER TABLE {_table.QualifiedName} ALTER COLUMN {column} SET COMPRESSION lz4; END IF; END $$;");

    public void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"ALTER TABLE IF EXISTS {_table.QualifiedName} ALTER COLUMN {column} SET COMPRESSION default;");

    public void ConfigureQueryCommand(DbCommandBuilder builder)
    {
        builder.Append("select a.attcompression::text, 'lz4' = any(s.enumvals) from pg_attribute a, pg_settings s where s.name = 'default_toast_compression' and a.attrelid = to_regclass(");
        builder.AppendParameter(_table.QualifiedName);
        builder.Append(") and a.attname = ");
        builder.AppendParameter(column);
        builder.Append(";");
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
    {
        // No row: the table is new. A server without LZ4 has nothing to change.
        var done = await reader.ReadAsync(ct) && (reader.GetString(0) == "l" || !reader.GetBoolean(1));
        return new SchemaObjectDelta(this, done ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}
