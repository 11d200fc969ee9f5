using System.Data.Common;
using Weasel.Core;

namespace MailAccounts.Infrastructure.Storage;

/// <summary>
/// A column whose values are compressed already (Brotli, by the product): PostgreSQL is told to store them out of line
/// as they are (<c>SET STORAGE EXTERNAL</c>) instead of trying its own compression on each value first. That try ran
/// over every byte of every imported message and attachment, found nothing to gain, and was a seventh of PostgreSQL's
/// time during an import.
/// </summary>
public sealed class UncompressedColumn(string table, string column) : ColumnSetting(table, column, "storage")
{
    public override void WriteCreateStatement(Migrator migrator, TextWriter writer) =>
        writer.WriteLine($"ALTER TABLE {Table.QualifiedName} ALTER COLUMN {Column} SET STORAGE EXTERNAL;");

    public override void WriteDropStatement(Migrator rules, TextWriter writer) =>
        writer.WriteLine($"ALTER TABLE IF EXISTS {Table.QualifiedName} ALTER COLUMN {Column} SET STORAGE EXTENDED;");

    protected override string Read => "a.attstorage::text";

    protected override bool IsSet(DbDataReader row) => row.GetString(0) == "e";
}
