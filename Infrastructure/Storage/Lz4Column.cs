using System.Data.Common;
using Weasel.Core;

namespace MailAccounts.Infrastructure.Storage;

/// <summary>
/// A column whose long values PostgreSQL compresses with LZ4 (<c>SET COMPRESSION lz4</c>) instead of its default, pglz:
/// several times faster to compress and to read back, for text written with every imported letter (its text for search
/// and its search document), where pglz was about 2 % of the machine's time during an import. A server built without
/// LZ4 keeps pglz.
/// </summary>
public sealed class Lz4Column(string table, string column) : ColumnSetting(table, column, "lz4")
{
    public override void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine(
            $"DO $$ BEGIN IF 'lz4' = ANY ((SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression')::text[]) THEN " +
            $"ALTER TABLE {Table.QualifiedName} ALTER COLUMN {Column} SET COMPRESSION lz4; END IF; END $$;");

    public override void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"ALTER TABLE IF EXISTS {Table.QualifiedName} ALTER COLUMN {Column} SET COMPRESSION default;");

    protected override string Read =>
        "a.attcompression::text, 'lz4' = any((select enumvals from pg_settings where name = 'default_toast_compression')::text[])";

    // Set, or nothing to set on a server without LZ4.
    protected override bool IsSet(DbDataReader row) => row.GetString(0) == "l" || !row.GetBoolean(1);
}
