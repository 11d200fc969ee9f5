using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace MailAccounts.Specs.Events;

/// <summary>A row of <c>mt_events</c> as far as an event's schema goes.</summary>
public sealed record EventRow(string Type, string DotNetType, JsonObject Data);

/// <summary>
/// Rows of <c>mt_events</c> read and written with SQL, below Marten: what an earlier version of the product left in a
/// database is exactly such a row, and Marten has no API that appends JSON it did not serialize itself.
/// </summary>
public static class EventRows
{
    /// <summary>Writes one stream of stored forms, in order, as if an earlier version had appended them.</summary>
    public static async Task InsertStreamAsync(string connectionString, string schema, Guid streamId, IReadOnlyList<PinnedEvent> events)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command($"insert into {schema}.mt_streams (id, version) values ($1, $2)", streamId, (long)events.Count));
        for (var i = 0; i < events.Count; i++)
        {
            batch.BatchCommands.Add(Command(
                $"""
                insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type)
                values (nextval('{schema}.mt_events_sequence'), $1, $2, $3, $4, $5, $6, $7)
                """,
                Guid.NewGuid(), streamId, (long)(i + 1), new NpgsqlParameter { Value = events[i].Data.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb },
                events[i].Type, DateTimeOffset.UtcNow, events[i].DotNetType));
        }

        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Every event row of the schema, in the order they were appended.</summary>
    public static async Task<IReadOnlyList<EventRow>> ReadAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select type, mt_dotnet_type, data::text from {schema}.mt_events order by seq_id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<EventRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new EventRow(reader.GetString(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject()));
        }

        return rows;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
