using MailAccounts.Domain.Common;
using Npgsql;
using NpgsqlTypes;

namespace MailAccounts.Benchmarks.EventStore;

/// <summary>
/// The floor for appending: the same events, serialised by the product's serializer, written with a plain binary COPY
/// into a table with the columns of <c>mt_events</c> that carry the event (sequence, id, stream, version, type, data,
/// timestamp) and its two indexes (the sequence key and the unique stream and version). No stream table, no
/// projections, no version checks: nothing an event store could skip.
/// </summary>
public sealed class CopyFloor(NpgsqlConnection connection, Func<object, string> toJson, Func<Type, string> typeName) : IAsyncDisposable
{
    private const string Table = "copy_floor.events";

    public static async Task<CopyFloor> CreateAsync(string connectionString, Func<object, string> toJson, Func<Type, string> typeName, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"""
            DROP SCHEMA IF EXISTS copy_floor CASCADE;
            CREATE SCHEMA copy_floor;
            CREATE TABLE {Table} (
                seq_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id uuid NOT NULL,
                stream_id uuid NOT NULL,
                version bigint NOT NULL,
                type varchar(500) NOT NULL,
                data jsonb NOT NULL,
                timestamp timestamptz NOT NULL,
                UNIQUE (stream_id, version));
            """, cancellationToken);
        return new CopyFloor(connection, toJson, typeName);
    }

    /// <summary>One COPY, and so one commit, per batch: the same commits as the store makes.</summary>
    public async Task WriteAsync(IReadOnlyList<StreamChunk> batch, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {Table} (id, stream_id, version, type, data, timestamp) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var chunk in batch)
        {
            var version = chunk.FirstVersion;
            foreach (var e in chunk.Events)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(chunk.StreamId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(version++, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(typeName(e.GetType()), NpgsqlDbType.Varchar, cancellationToken);
                await importer.WriteAsync(toJson(e), NpgsqlDbType.Jsonb, cancellationToken);
                await importer.WriteAsync(((IAuditedEvent)e).At, NpgsqlDbType.TimestampTz, cancellationToken);
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>Dropped once measured, so that vacuuming it does not compete with what is measured next.</summary>
    public async ValueTask DisposeAsync()
    {
        await ExecuteAsync(connection, "DROP SCHEMA IF EXISTS copy_floor CASCADE", CancellationToken.None);
        await connection.DisposeAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
