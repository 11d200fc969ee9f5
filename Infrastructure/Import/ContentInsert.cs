using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Storage;

namespace MailAccounts.Infrastructure.Import;

/// <summary>
/// Inserts content (a raw message, an attachment) as it is kept (Brotli-compressed, or as it is when <paramref name="compressed"/>
/// is false) into its content-addressed table in the session's unit of work, the content passed as a stream that
/// PostgreSQL reads as it sends it: a large message is never held whole in memory. Marten's queued SQL would send a
/// stream as text. Content already stored under its hash stays as it is. A raw message's <paramref name="detached"/> parts
/// (<see cref="DetachedPart"/>, as JSON) say where its attachments' base64 text was taken out.
/// </summary>
internal sealed class ContentInsert(string table, string sha256, long size, Stream content, bool compressed, string? detached = null)
    : Weasel.Storage.IStorageOperation, NoDataReturnedCall
{
    // As Marten's own queued SQL says: no document, so no document table to look for.
    public Type DocumentType => typeof(Marten.Storage.StorageFeatures);

    public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
    {
        // Read from its start at each commit: a batch the database refused is committed again, message by message.
        content.Position = 0;
        var parameters = builder.AppendWithDbParameters(detached is null
            ? $"insert into {table} (sha256, size, content, compressed) values (?, ?, ?, ?) on conflict (sha256) do nothing"
            : $"insert into {table} (sha256, size, content, compressed, detached) values (?, ?, ?, ?, ?) on conflict (sha256) do nothing");
        Bind(parameters[0], NpgsqlDbType.Text, sha256);
        Bind(parameters[1], NpgsqlDbType.Bigint, size);
        Bind(parameters[2], NpgsqlDbType.Bytea, content);
        Bind(parameters[3], NpgsqlDbType.Boolean, compressed);
        if (detached is not null)
        {
            Bind(parameters[4], NpgsqlDbType.Jsonb, detached);
        }
    }

    private static void Bind(DbParameter parameter, NpgsqlDbType type, object value)
    {
        ((NpgsqlParameter)parameter).NpgsqlDbType = type;
        parameter.Value = value;
    }

    public void Postprocess(DbDataReader reader, IList<Exception> exceptions)
    {
    }

    public Task PostprocessAsync(DbDataReader reader, IList<Exception> exceptions, CancellationToken token) => Task.CompletedTask;

    public OperationRole Role() => OperationRole.Other;
}
