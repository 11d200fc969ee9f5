using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Marten;
using Marten.Linq.MatchesSql;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Import;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Import;
using Npgsql;

namespace MailAccounts.Infrastructure.Search;

/// <summary>A stretch of a found letter's preview; <paramref name="Matched"/> when it is a word searched for.</summary>
public sealed record HeadlinePart(string Text, bool Matched);

/// <summary>A letter found, with the stretch of its text around the words searched for (null when none was searched for).</summary>
public sealed record FoundLetter(Letter Letter, IReadOnlyList<HeadlinePart>? Headline);

/// <summary>
/// A page of what was found, newest first. <paramref name="After"/> asks for the next page (null: this is the last);
/// <paramref name="Problems"/>: criteria imported mail cannot answer, when nothing was searched.
/// </summary>
public sealed record ImportedResults(IReadOnlyList<FoundLetter> Letters, string? After, IReadOnlyList<QueryProblem> Problems);

/// <summary>
/// Search over imported mail: <see cref="SqlCriteria"/> over the search row, in the one access rule of
/// <see cref="ImportedMail"/> (only letters of accounts the viewer may use, never a deleted one), ordered by the
/// letter's date with keyset paging (no OFFSET: the hundredth page costs what the first does), and the preview's
/// highlighting only for the rows shown.
/// </summary>
public static partial class ImportedSearch
{
    /// <summary>Of each letter's text, the start <c>ts_headline</c> reads for the preview; it reads every word of it.</summary>
    public const int HeadlineChars = 20_000;

    private const string Start = "\uE000";
    private const string Stop = "\uE001";

    /// <summary>The letter documents' table, which the page's rows are joined to for the access rule and the criteria on the letter.</summary>
    private static readonly string LetterTable = $"{Storage.StorageConfiguration.Schema}.mt_doc_letter";

    /// <param name="accountId">One account's letters only.</param>
    /// <param name="exchangedWith">Only letters from, to or copied to one of these addresses, exactly (a contact's correspondence).</param>
    public static async Task<ImportedResults> SearchAsync(
        IQuerySession session, Actor viewer, MailCriteria criteria, string? after, int pageSize, CancellationToken ct, Guid? accountId = null,
        IReadOnlyCollection<string>? exchangedWith = null)
    {
        if (SqlCriteria.Unanswerable(criteria) is { Count: > 0 } problems)
        {
            return new ImportedResults([], null, problems);
        }

        var accounts = (await ImportedMail.AccountsAsync(session, viewer, ct)).Select(a => a.Id).Where(a => accountId is null || a == accountId).ToArray();
        if (accounts.Length == 0)
        {
            return new ImportedResults([], null, []);
        }

        // Driven from the search row, which keeps the letter's date: a phrase in one subject in ten (thousands of rows)
        // is sorted by that column and only the page's rows are joined to their letters, rather than every match.
        var where = new List<string> { $"not coalesce((d.data ->> 'Deleted')::boolean, false)", "jsonb_exists_any(d.data -> 'AccountIds', ?)" };
        var parameters = new List<object> { accounts.Select(a => a.ToString()).ToArray() };
        if (exchangedWith is not null)
        {
            if (ImportedMail.Bare(exchangedWith) is not { Length: > 0 } bare)
            {
                return new ImportedResults([], null, []);
            }

            where.Add(ImportedMail.ExchangedWithSql);
            parameters.AddRange(ImportedMail.ExchangedWithParameters(bare));
        }

        if (SqlCriteria.Text(criteria) is { } text)
        {
            where.Add(text.Sql);
            parameters.AddRange(text.Parameters);
        }

        if (criteria.HasAttachment is { } attachment)
        {
            where.Add($"jsonb_array_length(coalesce(d.data -> 'Attachments', '[]'::jsonb)) {(attachment ? ">" : "=")} 0");
        }

        void Add(string sql, object value)
        {
            where.Add(sql);
            parameters.Add(value);
        }

        if (criteria.Since is { } since)
        {
            Add("t.sorted >= ?", Day(since));
        }

        if (criteria.Before is { } before)
        {
            Add("t.sorted < ?", Day(before));
        }

        if (criteria.Larger is { } larger)
        {
            Add("(d.data ->> 'Size')::bigint > ?", larger);
        }

        if (criteria.Smaller is { } smaller)
        {
            Add("(d.data ->> 'Size')::bigint < ?", smaller);
        }

        if (Cursor.Parse(after) is var (sorted, id))
        {
            where.Add("(t.sorted < ? or (t.sorted = ? and t.letter_id < ?))");
            parameters.AddRange([sorted, sorted, id]);
        }

        var found = new List<(Guid Id, DateTimeOffset Sorted)>();
        await using (var connection = await ImportedMail.DataSourceOf(session).OpenConnectionAsync(ct))
        {
            await using var command = new NpgsqlCommand(SearchIndex.Positional(
                $"select t.letter_id, t.sorted from {Import.Configuration.TextTable} t join {LetterTable} d on d.id = t.letter_id " +
                $"where {string.Join(" and ", where)} order by t.sorted desc, t.letter_id desc limit {pageSize + 1}"), connection);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
            }
        }

        var page = found.Take(pageSize).ToList();
        var loaded = (await session.LoadManyAsync<Letter>(ct, page.Select(f => f.Id))).ToDictionary(l => l.Id);
        var shown = page.Where(f => loaded.ContainsKey(f.Id)).Select(f => loaded[f.Id]).ToList();
        var next = found.Count > pageSize ? Cursor.Of(page[^1].Sorted, page[^1].Id) : null;
        var headlines = SqlCriteria.Highlighted(criteria) is { } highlighted && shown.Count > 0
            ? await HeadlinesAsync(session, shown.Select(l => l.Id).ToArray(), highlighted, ct)
            : new Dictionary<Guid, IReadOnlyList<HeadlinePart>>();
        return new ImportedResults(
            [.. shown.Select(l => new FoundLetter(l, SqlCriteria.Highlighted(criteria) is null ? null : headlines.GetValueOrDefault(l.Id, [])))], next, []);
    }

    /// <summary>The first day's start, as the list's dates are kept (UTC).</summary>
    private static DateTimeOffset Day(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// The preview of each shown letter around the words searched for. PostgreSQL reads the text in lower case, as it
    /// was indexed (its own lowering leaves Cyrillic as it is under the C character type), and the stretch it chose is
    /// then cut from the text as written: .NET lowers one character for one, so the places are the same.
    /// </summary>
    private static async Task<Dictionary<Guid, IReadOnlyList<HeadlinePart>>> HeadlinesAsync(
        IQuerySession session, Guid[] ids, string tsQuery, CancellationToken ct)
    {
        var texts = new Dictionary<Guid, string>();
        await using var connection = await ImportedMail.DataSourceOf(session).OpenConnectionAsync(ct);
        await using (var read = new NpgsqlCommand($"select letter_id, left(body, {HeadlineChars}) from {Import.Configuration.TextTable} where letter_id = any($1)", connection))
        {
            read.Parameters.AddWithValue(ids);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                texts[reader.GetGuid(0)] = reader.GetString(1);
            }
        }

        var order = texts.Keys.ToArray();
        var headlines = new Dictionary<Guid, IReadOnlyList<HeadlinePart>>();
        if (order.Length == 0)
        {
            return headlines;
        }

        await using var highlight = new NpgsqlCommand(
            $"select x.n, ts_headline('{SearchIndex.TextConfiguration}', x.text, to_tsquery('{SearchIndex.TextConfiguration}', $2), " +
            $"'StartSel=\"{Start}\", StopSel=\"{Stop}\", MaxWords=35, MinWords=15, MaxFragments=5, FragmentDelimiter=\" \"') " +
            "from unnest($1::text[]) with ordinality as x(text, n)", connection);
        highlight.Parameters.AddWithValue(order.Select(id => SearchIndex.Lower(texts[id])).ToArray());
        highlight.Parameters.AddWithValue(tsQuery);
        await using var rows = await highlight.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            var id = order[(int)rows.GetInt64(0) - 1];
            headlines[id] = Parts(texts[id], rows.GetString(1));
        }

        return headlines;
    }

    /// <summary>
    /// The preview as a reader sees it: PostgreSQL's headline says which words matched (it knows their forms: it
    /// stemmed them), and the stretch shown is cut from the text as written around the first of them, each occurrence
    /// of a matched word marked. The text's own markup stays text (the page encodes it).
    /// </summary>
    internal static IReadOnlyList<HeadlinePart> Parts(string original, string headline)
    {
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var piece in headline.Split(Start).Skip(1))
        {
            if (piece.IndexOf(Stop, StringComparison.Ordinal) is var end and > 0)
            {
                matched.Add(piece[..end]);
            }
        }

        var words = WordPattern().Matches(original);
        var first = Enumerable.Range(0, words.Count).FirstOrDefault(i => matched.Contains(SearchIndex.Lower(words[i].Value)), -1);
        if (words.Count == 0)
        {
            return [];
        }

        var from = Math.Max(0, first - WordsBefore);
        var to = Math.Min(words.Count - 1, Math.Max(first, 0) + WordsAfter);
        var parts = new List<HeadlinePart>();
        if (from > 0)
        {
            parts.Add(new HeadlinePart("… ", false));
        }

        var position = words[from].Index;
        for (var i = from; i <= to; i++)
        {
            if (!matched.Contains(SearchIndex.Lower(words[i].Value)))
            {
                continue;
            }

            if (words[i].Index > position)
            {
                parts.Add(new HeadlinePart(Whitespace(original[position..words[i].Index]), false));
            }

            parts.Add(new HeadlinePart(words[i].Value, true));
            position = words[i].Index + words[i].Length;
        }

        var last = words[to].Index + words[to].Length;
        if (last > position)
        {
            parts.Add(new HeadlinePart(Whitespace(original[position..last]), false));
        }

        if (to < words.Count - 1)
        {
            parts.Add(new HeadlinePart(" …", false));
        }

        return parts;
    }

    private const int WordsBefore = 8;
    private const int WordsAfter = 24;

    [System.Text.RegularExpressions.GeneratedRegex(@"[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*")]
    private static partial System.Text.RegularExpressions.Regex WordPattern();

    private static string Whitespace(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    /// <summary>Where a page ended: the last letter's date as the search row keeps it, and its id, as an opaque token for the next page's link.</summary>
    internal static class Cursor
    {
        public static string Of(DateTimeOffset sorted, Guid id) =>
            Base64Url.EncodeToString(Encoding.ASCII.GetBytes(sorted.UtcTicks.ToString(CultureInfo.InvariantCulture) + "_" + id.ToString("N")));

        /// <summary>The token read back; null for none or one that is not a token (a hand-edited link: the first page).</summary>
        public static (DateTimeOffset Sorted, Guid Id)? Parse(string? token)
        {
            if (string.IsNullOrEmpty(token) || token.Length > 120)
            {
                return null;
            }

            try
            {
                var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token)).Split('_');
                return parts.Length == 2
                    && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                    && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                    && Guid.TryParseExact(parts[1], "N", out var id)
                    ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
