using System.Data.Common;
using Weasel.Core;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace MailAccounts.Infrastructure.Storage;

/// <summary>
/// A column whose values are compressed already (Brotli, by the product): PostgreSQL is told to store them out of line
/// as they are (<c>SET STORAGE EXTERNAL</c>) instead of trying its own compression on each value first. That try ran
/// over every byte of every imported message and attachment, found nothing to gain, and was a seventh of PostgreSQL's
/// time during an import. Weasel has no column storage of its own; this object sets it after the table is created, and
/// on a database from before it.
/// </summary>
public sealed class UncompressedColumn(string table, string column) : ISchemaObject
{
    private readonly DbObjectName _table = Weasel.Postgresql.PostgresqlProvider.Instance.Parse(table);

    public DbObjectName Identifier => Weasel.Postgresql.PostgresqlProvider.Instance.Parse($"{_table.Schema}.{_table.Name}_{column}_storage");

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine($"ALTER TABLE {_table.QualifiedName} ALTER COLUMN {column} SET STORAGE EXTERNAL;");

    public void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"ALTER TABLE IF EXISTS {_table.QualifiedName} ALTER COLUMN {column} SET STORAGE EXTENDED;");

    public void ConfigureQueryCommand(DbCommandBuilder builder)
    {
        builder.Append("select attstorage::text from pg_attribute where attrelid = to_regclass(");
        builder.AppendParameter(_table.QualifiedName);
        builder.Append(") and attname = ");
        builder.AppendParameter(column);
        builder.Append(";");
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
    {
        var external = await reader.ReadAsync(ct) && reader.GetString(0) == "e";
        return new SchemaObjectDelta(this, external ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}
