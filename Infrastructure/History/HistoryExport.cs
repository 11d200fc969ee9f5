using System.Globalization;
using System.Text;
using System.Text.Json;
using MailAccounts.Domain.Common;

namespace MailAccounts.Infrastructure.History;

/// <summary>One event of a history as it is exported: the stored names and values, not the page's words.</summary>
public sealed record ExportedEntry(
    long Version, DateTimeOffset At, Guid By, string ByName, string Event, bool? Succeeded, string? Detail, IReadOnlyList<SettingChange> Changes);

/// <summary>What a history page may be narrowed to: a kind of change and a range of days (UTC, both ends included).</summary>
public sealed record HistoryFilter(string? Kind, DateOnly? From, DateOnly? To)
{
    public IReadOnlyList<HistoryEntry> Apply(IReadOnlyList<HistoryEntry> entries) => entries
        .Where(e => string.IsNullOrEmpty(Kind) || e.EventType == Kind)
        .Where(e => From is not { } from || DateOnly.FromDateTime(e.At.UtcDateTime) >= from)
        .Where(e => To is not { } to || DateOnly.FromDateTime(e.At.UtcDateTime) <= to)
        .ToArray();
}

/// <summary>A history as JSON or CSV, for auditors and spreadsheets. A secret shows only as "changed", as on the page.</summary>
public static class HistoryExport
{
    public const string SecretChanged = "changed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IReadOnlyList<ExportedEntry> Entries(IReadOnlyList<HistoryEntry> history, params string[] secretSettings) => history
        .Select(e => new ExportedEntry(
            e.Version, e.At, e.By, e.ByName, e.EventType, e.Outcome?.Succeeded, e.Outcome?.Detail,
            e.Changes.Select(c => secretSettings.Contains(c.Setting) ? c with { Before = c.Before is null ? null : SecretChanged, After = c.After is null ? null : SecretChanged } : c).ToArray()))
        .ToArray();

    public static string ToJson(IReadOnlyList<ExportedEntry> entries) => JsonSerializer.Serialize(entries, Json);

    public static IReadOnlyList<ExportedEntry> FromJson(string json) => JsonSerializer.Deserialize<ExportedEntry[]>(json, Json) ?? [];

    private static readonly string[] Columns = ["version", "at", "by", "by_name", "event", "succeeded", "detail", "setting", "before", "after"];

    /// <summary>
    /// One line per changed setting (one line for an event that changed none), RFC 4180 quoting. A cell a spreadsheet
    /// would read as a formula (an account title "=HYPERLINK(…)", a mail server's own words) is defused, see <see cref="Defuse"/>.
    /// </summary>
    public static string ToCsv(IReadOnlyList<ExportedEntry> entries)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns).Append("\r\n");
        foreach (var entry in entries)
        {
            var changes = entry.Changes.Count == 0 ? [null] : entry.Changes.Cast<SettingChange?>();
            foreach (var change in changes)
            {
                string?[] cells =
                [
                    entry.Version.ToString(CultureInfo.InvariantCulture), entry.At.ToString("O", CultureInfo.InvariantCulture), entry.By.ToString(),
                    entry.ByName, entry.Event, entry.Succeeded?.ToString(CultureInfo.InvariantCulture), entry.Detail,
                    change?.Setting, Nullable(change?.Before), Nullable(change?.After),
                ];
                csv.AppendJoin(',', cells.Select(c => Quote(Defuse(c)))).Append("\r\n");
            }
        }

        return csv.ToString();
    }

    /// <summary>Reads <see cref="ToCsv"/> back; a spreadsheet's round trip ends in the same entries.</summary>
    public static IReadOnlyList<ExportedEntry> FromCsv(string csv)
    {
        var rows = Rows(csv).Skip(1).Where(r => r.Count == Columns.Length).Select(r => r.Select(Restore).ToList());
        return rows
            .GroupBy(r => long.Parse(r[0], CultureInfo.InvariantCulture))
            .Select(g =>
            {
                var first = g.First();
                return new ExportedEntry(
                    g.Key, DateTimeOffset.Parse(first[1], CultureInfo.InvariantCulture), Guid.Parse(first[2]), first[3], first[4],
                    first[5].Length == 0 ? null : bool.Parse(first[5]), first[6].Length == 0 ? null : first[6],
                    g.Where(r => r[7].Length > 0).Select(r => new SettingChange(r[7], NotNull(r[8]), NotNull(r[9]))).ToArray());
            })
            .ToArray();
    }

    // A setting that did not exist on one side is written as \N, as PostgreSQL's COPY does, to tell it from an empty value.
    private const string Null = "\\N";

    private static string Nullable(string? value) => value is null ? Null : value;

    private static string? NotNull(string value) => value == Null ? null : value;

    // Excel and LibreOffice run a cell that starts with one of these as a formula (tab and CR too, after trimming).
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>
    /// OWASP's defence against CSV injection: such a cell gets a leading apostrophe, which makes it text. A value that
    /// starts with an apostrophe itself gets one too, so that <see cref="Restore"/> can always take exactly one away.
    /// </summary>
    private static string? Defuse(string? value) =>
        value is { Length: > 0 } && (value[0] == '\'' || FormulaStarts.Contains(value[0])) ? "'" + value : value;

    private static string Restore(string cell) => cell.StartsWith('\'') ? cell[1..] : cell;

    private static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static IEnumerable<List<string>> Rows(string csv)
    {
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    row.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add(cell.ToString());
                    cell.Clear();
                    yield return row;
                    row = [];
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            yield return row;
        }
    }
}
