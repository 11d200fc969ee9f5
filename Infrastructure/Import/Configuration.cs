using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using MailAccounts.Domain.Import;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace MailAccounts.Infrastructure.Import;

/// <summary>
/// Imported mail's storage. The letters and the quarantine are event-sourced (a stream per letter, a stream per
/// message that could not be imported) and projected inline into <see cref="Letter"/> and <see cref="QuarantinedMessage"/>
/// documents. What no event carries lies in plain tables beside them, written in the same transaction as the events:
/// the raw messages (compressed, once per SHA-256 of their bytes, without the base64 text of the attachments that can
/// be written back from them), the attachments (once per SHA-256 of their content),
/// the text for search, and the places already imported (the importer's index of what it has seen).
/// </summary>
public static class Configuration
{
    public const string RawTable = StorageSchema + ".import_raw";
    public const string AttachmentTable = StorageSchema + ".import_attachment";
    public const string TextTable = StorageSchema + ".import_text";
    public const string PlaceTable = StorageSchema + ".import_place";

    private const string StorageSchema = Storage.StorageConfiguration.Schema;

    public static StoreOptions ConfigureImport(this StoreOptions options)
    {
        options.Projections.Add(new LetterProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new QuarantineProjection(), ProjectionLifecycle.Inline);
        // No GIN index over the whole document: no query asks for containment (@>), the one index kind it serves, and
        // every letter imported paid for it.
        options.Schema.For<Letter>().Index(l => l.Sorted);
        options.Schema.For<QuarantinedMessage>().Index(q => q.Place.AccountId);
        options.Schema.For<ImportCursor>().Index(c => c.AccountId);
        options.Schema.For<ImportProgress>();

        var raw = new Table(RawTable);
        raw.AddColumn("sha256", "text").AsPrimaryKey();
        raw.AddColumn("size", "bigint").NotNull();
        raw.AddColumn("content", "bytea").NotNull();
        // Whether the content is Brotli-compressed (LetterIntake.SampledCompression); rows from before were all compressed.
        raw.AddColumn("compressed", "boolean").DefaultValueByExpression("true");
        // Where the attachments' base64 text was taken out of the message (DetachedPart), to be written back on reading;
        // null: the content is the whole message.
        raw.AddColumn("detached", "jsonb");
        options.Storage.ExtendedSchemaObjects.Add(raw);
        options.Storage.ExtendedSchemaObjects.Add(new Storage.UncompressedColumn(RawTable, "content"));

        var attachment = new Table(AttachmentTable);
        attachment.AddColumn("sha256", "text").AsPrimaryKey();
        attachment.AddColumn("size", "bigint").NotNull();
        attachment.AddColumn("content", "bytea").NotNull();
        attachment.AddColumn("compressed", "boolean").DefaultValueByExpression("true");
        options.Storage.ExtendedSchemaObjects.Add(attachment);
        options.Storage.ExtendedSchemaObjects.Add(new Storage.UncompressedColumn(AttachmentTable, "content"));

        // The text and the search row (Search.SearchIndex): the search columns may be empty in a database from before
        // search, until the rebuild fills them in.
        options.Storage.ExtendedSchemaObjects.Add(new Extension("pg_trgm"));
        var text = new Table(TextTable);
        text.AddColumn("letter_id", "uuid").AsPrimaryKey();
        text.AddColumn("body", "text").NotNull();
        text.AddColumn("sorted", "timestamptz");
        text.AddColumn("sender", "text");
        text.AddColumn("recipients", "text");
        text.AddColumn("document", "tsvector");
        text.Indexes.Add(new IndexDefinition("import_text_document") { Columns = ["document"], Method = IndexMethod.gin });
        // Newest first, for a search without words (a date range, attachments) and for the next page's keyset.
        text.Indexes.Add(new IndexDefinition("import_text_sorted") { Columns = ["sorted", "letter_id"] });
        text.Indexes.Add(new IndexDefinition("import_text_sender") { Columns = ["sender"], Method = IndexMethod.gin, Mask = "? gin_trgm_ops" });
        text.Indexes.Add(new IndexDefinition("import_text_recipients") { Columns = ["recipients"], Method = IndexMethod.gin, Mask = "? gin_trgm_ops" });
        options.Storage.ExtendedSchemaObjects.Add(text);
        options.Storage.ExtendedSchemaObjects.Add(new Storage.Lz4Column(TextTable, "body"));
        options.Storage.ExtendedSchemaObjects.Add(new Storage.Lz4Column(TextTable, "document"));

        var place = new Table(PlaceTable);
        place.AddColumn("account_id", "uuid").AsPrimaryKey();
        place.AddColumn("folder", "text").AsPrimaryKey();
        place.AddColumn("uid_validity", "bigint").AsPrimaryKey();
        place.AddColumn("uid", "text").AsPrimaryKey();
        place.AddColumn("letter_id", "uuid");
        options.Storage.ExtendedSchemaObjects.Add(place);
        return options;
    }
}

/// <summary>Marten's entry to the pure <see cref="Letter.Evolve"/>.</summary>
public sealed class LetterProjection : SingleStreamProjection<Letter, Guid>
{
    public LetterProjection() => IncludedEventTypes.AddRange(Letter.ChangedBy);

    public override Letter? Evolve(Letter? snapshot, Guid id, IEvent e) => Letter.Evolve(snapshot, e.Data);
}

/// <summary>Marten's entry to the pure <see cref="QuarantinedMessage.Evolve"/>.</summary>
public sealed class QuarantineProjection : SingleStreamProjection<QuarantinedMessage, Guid>
{
    public QuarantineProjection() => IncludedEventTypes.AddRange(QuarantinedMessage.ChangedBy);

    public override QuarantinedMessage? Evolve(QuarantinedMessage? snapshot, Guid id, IEvent e) => QuarantinedMessage.Evolve(snapshot, e.Data);
}

/// <summary>
/// How far an account's folder was imported: live state, not history, written in the transaction of each batch.
/// <paramref name="HighestUid"/> is the highest UID imported (or quarantined) under <paramref name="UidValidity"/>;
/// <paramref name="UidNext"/> and <paramref name="HighestModSeq"/> are the folder's STATUS when the last run finished,
/// so that an unchanged folder is skipped without SELECT. <paramref name="Since"/> is the first day the folder was
/// imported from (null: all mail), so that moving it back fills in the older mail.
/// </summary>
public sealed record ImportCursor(
    string Id, Guid AccountId, string Folder, uint UidValidity, uint HighestUid, uint? UidNext, ulong? HighestModSeq, DateOnly? Since, bool Complete)
{
    public static string IdOf(Guid accountId, string folder) => $"{accountId:N}/{folder}";
}

/// <summary>
/// Where an account's import stands, for the pages: running or not, how many of how many messages this run, when the
/// last run ended and how, and how many letters of the account the system holds.
/// </summary>
public sealed record ImportProgress(
    Guid Id, bool Running, int Done, int Total, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Problem, int Imported)
{
    public static ImportProgress None(Guid accountId) => new(accountId, false, 0, 0, null, null, null, 0);
}
