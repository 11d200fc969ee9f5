using Marten;
using MailAccounts.Domain.Import;
using Npgsql;

namespace MailAccounts.Infrastructure.Search;

/// <summary>
/// Imported mail's search row, beside the letter's text in <see cref="Import.Configuration.TextTable"/>: a weighted
/// <c>tsvector</c> (subject A, addresses B, body D) under PostgreSQL's <c>russian</c> configuration (which stems
/// Russian words with the Russian stemmer and all-ASCII words with the English one), in a GIN index; and From and
/// To/Cc as lower-case text in trigram indexes, so that part of an address or a name is found. Written with the
/// letter, in its transaction, and rebuilt from the letters on demand.
/// <para>
/// Text is put in lower case here and not by PostgreSQL: the private cluster (and any created without a locale) has the
/// C character type, under which PostgreSQL lowers ASCII alone, and "Письмо" would then never meet "письмо".
/// </para>
/// </summary>
public static class SearchIndex
{
    /// <summary>The text search configuration of the index and of every query.</summary>
    public const string TextConfiguration = "russian";

    /// <summary>
    /// The body text indexed: its first 200,000 characters. A tsvector must stay under 1 MB (PostgreSQL refuses a
    /// longer one, and with it the letter's transaction); no one searches for a word past the first hundred pages.
    /// </summary>
    public const int IndexedBodyChars = 200_000;

    private const string Table = Import.Configuration.TextTable;

    private static readonly string Document =
        $"setweight(to_tsvector('{TextConfiguration}', ?), 'A') || setweight(to_tsvector('{TextConfiguration}', ?), 'B') || setweight(to_tsvector('{TextConfiguration}', ?), 'D')";

    /// <summary>The letter's text and search row, written once (a letter found again keeps the row it has).</summary>
    public static readonly string InsertSql =
        $"insert into {Table} (letter_id, body, sorted, sender, recipients, document) values (?, ?, ?, ?, ?, {Document}) on conflict (letter_id) do nothing";

    private static readonly string UpdateSql = $"update {Table} set sorted = ?, sender = ?, recipients = ?, document = {Document} where letter_id = ?";

    /// <summary>A row still to be written: from before search, or from before the row kept the letter's date.</summary>
    private const string Missing = "(document is null or sorted is null)";

    /// <summary>
    /// Text as the index holds it and as every query asks for it: in lower case, and ё read as е, since Russian writers
    /// use the two for one letter ("счёт", "счет"). One character for one, so places in it are places in the text.
    /// </summary>
    public static string Lower(string text) => text.ToLowerInvariant().Replace('ё', 'е');

    public static string Sender(LetterHeaders headers) => Lower(headers.From);

    public static string Recipients(LetterHeaders headers) => Lower(string.Join(", ", headers.To.Concat(headers.Cc)));

    /// <summary>
    /// The parameters of <see cref="InsertSql"/>, in order. <paramref name="sorted"/> is the letter's date, by which
    /// results are ordered and paged (it never changes: a letter found again keeps it).
    /// </summary>
    public static object[] InsertParameters(Guid letterId, DateTimeOffset sorted, LetterHeaders headers, string body) =>
        [letterId, body, sorted.ToUniversalTime(), Sender(headers), Recipients(headers), .. DocumentParameters(headers, body)];

    private static object[] DocumentParameters(LetterHeaders headers, string body) =>
    [
        Lower(headers.Subject),
        Sender(headers) + " " + Recipients(headers),
        Lower(body.Length > IndexedBodyChars ? body[..IndexedBodyChars] : body),
    ];

    /// <summary>How many letters' rows have no search row yet (a database from before search, or one cut short).</summary>
    public static async Task<long> MissingAsync(IDocumentStore store, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(store, cancellationToken);
        await using var command = new NpgsqlCommand($"select count(*) from {Table} where {Missing}", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Writes every letter's search row again from its letter and text, a batch at a time (each batch its own
    /// transaction, so that a long rebuild never holds the letters locked); <paramref name="onlyMissing"/> fills in
    /// those that have none. Answers how many were written; <paramref name="progress"/> hears the count after each batch.
    /// </summary>
    public static async Task<int> RebuildAsync(
        IDocumentStore store, bool onlyMissing, CancellationToken cancellationToken, Action<int>? progress = null, int batchSize = 500)
    {
        var written = 0;
        var after = Guid.Empty;
        await using var connection = await OpenAsync(store, cancellationToken);
        while (true)
        {
            var batch = new List<(Guid Id, string Body)>();
            await using (var read = new NpgsqlCommand(
                $"select letter_id, body from {Table} where letter_id > $1 {(onlyMissing ? "and " + Missing : "")} order by letter_id limit $2", connection))
            {
                read.Parameters.AddWithValue(after);
                read.Parameters.AddWithValue(batchSize);
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add((reader.GetGuid(0), reader.GetString(1)));
                }
            }

            if (batch.Count == 0)
            {
                return written;
            }

            after = batch[^1].Id;
            await using var session = store.QuerySession();
            var letters = (await session.LoadManyAsync<Letter>(cancellationToken, batch.Select(b => b.Id))).ToDictionary(l => l.Id);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var updates = new NpgsqlBatch(connection, transaction);
            foreach (var (id, body) in batch)
            {
                if (!letters.TryGetValue(id, out var letter))
                {
                    continue;
                }

                var command = new NpgsqlBatchCommand(Positional(UpdateSql));
                foreach (var value in new object[] { letter.Sorted.ToUniversalTime(), Sender(letter.Headers), Recipients(letter.Headers) }.Concat(DocumentParameters(letter.Headers, body)).Append(id))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                updates.BatchCommands.Add(command);
            }

            if (updates.BatchCommands.Count > 0)
            {
                await updates.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            written += updates.BatchCommands.Count;
            progress?.Invoke(written);
        }
    }

    /// <summary>Marten's <c>?</c> placeholders as Npgsql's <c>$1</c>, <c>$2</c>…</summary>
    internal static string Positional(string sql)
    {
        var number = 0;
        return string.Concat(sql.Select(c => c == '?' ? "$" + ++number : c.ToString()));
    }

    private static async Task<NpgsqlConnection> OpenAsync(IDocumentStore store, CancellationToken cancellationToken) =>
        await ((Weasel.Postgresql.PostgresqlDatabase)store.Storage.Database).DataSource.OpenConnectionAsync(cancellationToken);
}
