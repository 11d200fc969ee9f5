using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using MailAccounts.Domain.Contacts;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>A data row of a contacts file: its line in the file and the contact it describes.</summary>
public sealed record CsvContactRow(int Line, ContactForm Form, bool Malformed);

/// <summary>
/// A contacts file as read: the rows, the columns it had (the ignored ones named), the encoding and delimiter found,
/// or why the file as a whole cannot be read (<see cref="Problem"/>, a code the page translates).
/// </summary>
public sealed record CsvContacts(IReadOnlyList<CsvContactRow> Rows, IReadOnlyList<string> IgnoredColumns, string Encoding, string Delimiter, string? Problem)
{
    public static CsvContacts Refused(string problem) => new([], [], "", "", problem);
}

/// <summary>
/// Reads a CSV file of contacts (RFC 4180, read by CsvHelper). The first line names the columns, in English or
/// Russian: a name, an organisation, notes, and one or more address columns ("E-mail", "E-mail 2", "Адрес"…); a cell
/// of addresses may hold several, separated by ";", "," or spaces. The delimiter is found from the file: a comma, a
/// semicolon (what Excel writes where the decimal mark is a comma, as in Russian) or a tab. The text is UTF-8 with
/// or without BOM, UTF-16 with BOM, or, when it is not valid UTF-8, Windows-1251 (Russian Excel's "CSV" export).
/// </summary>
public static class ContactCsv
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxRows = 5000;

    public const string Empty = "ContactImport.EmptyFile";
    public const string TooLarge = "ContactImport.TooLarge";
    public const string TooManyRows = "ContactImport.TooManyRows";
    public const string NoColumns = "ContactImport.NoColumns";

    private enum Column
    {
        Ignored,
        Name,
        Organisation,
        Notes,
        Addresses,
    }

    private static readonly string[] NameHeaders = ["name", "fullname", "displayname", "contact", "имя", "фио", "полноеимя", "контакт"];
    private static readonly string[] OrganisationHeaders = ["organisation", "organization", "company", "org", "организация", "компания", "фирма"];
    private static readonly string[] NotesHeaders = ["notes", "note", "comment", "comments", "заметки", "заметка", "примечание", "примечания", "комментарий"];
    private static readonly string[] AddressHeaderStarts =
        ["email", "mail", "address", "адрес", "почта", "электроннаяпочта", "эпочта", "элпочта", "емейл", "имейл", "емэйл"];

    public static CsvContacts Read(byte[] content)
    {
        if (content.Length > MaxBytes)
        {
            return CsvContacts.Refused(TooLarge);
        }

        var (text, encoding) = Decode(content);
        if (text.Trim().Length == 0)
        {
            return CsvContacts.Refused(Empty);
        }

        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
            MissingFieldFound = null,
        };
        var malformed = false;
        configuration.BadDataFound = _ => malformed = true;

        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, configuration);
        if (!parser.Read())
        {
            return CsvContacts.Refused(Empty);
        }

        var headers = parser.Record ?? [];
        var columns = headers.Select(ColumnOf).ToArray();
        if (!columns.Any(c => c is Column.Name or Column.Addresses))
        {
            return CsvContacts.Refused(NoColumns);
        }

        var ignored = headers.Where((_, i) => columns[i] == Column.Ignored && headers[i].Trim().Length > 0).Select(h => h.Trim()).ToArray();
        var rows = new List<CsvContactRow>();
        var lastLine = parser.RawRow;
        while (true)
        {
            malformed = false;
            if (!parser.Read())
            {
                break;
            }

            if (rows.Count == MaxRows)
            {
                return CsvContacts.Refused(TooManyRows);
            }

            // The line the row starts on, as an editor numbers it: the lines before it were read by the rows before.
            var record = parser.Record ?? [];
            var line = parser.RawRow - Math.Max(0, LinesIn(parser.RawRecord) - 1);
            lastLine = parser.RawRow;
            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            string Cells(Column column) => string.Join(' ', record.Where((_, i) => i < columns.Length && columns[i] == column).Where(c => c.Length > 0));
            var addresses = record.Where((_, i) => i < columns.Length && columns[i] == Column.Addresses)
                .SelectMany(c => c.Split([';', ',', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
                .ToArray();
            rows.Add(new CsvContactRow(line, new ContactForm(Cells(Column.Name), Cells(Column.Organisation), Cells(Column.Notes), addresses),
                malformed || record.Length > Math.Max(columns.Length, 1) && record.Skip(columns.Length).Any(c => c.Length > 0)));
        }

        return new CsvContacts(rows, ignored, encoding, parser.Delimiter == "\t" ? "Tab" : parser.Delimiter, null);
    }

    /// <summary>A header as a key: lower case, letters and digits only ("E-mail 2" is "email2").</summary>
    private static Column ColumnOf(string header)
    {
        var key = new string(header.ToLowerInvariant().Replace('ё', 'е').Where(char.IsLetterOrDigit).ToArray());
        return key switch
        {
            _ when NameHeaders.Contains(key) => Column.Name,
            _ when OrganisationHeaders.Contains(key) => Column.Organisation,
            _ when NotesHeaders.Contains(key) => Column.Notes,
            _ when AddressHeaderStarts.Any(start => key.StartsWith(start, StringComparison.Ordinal)) => Column.Addresses,
            _ => Column.Ignored,
        };
    }

    private static int LinesIn(string? raw) => raw is null ? 1 : Math.Max(1, raw.TrimEnd('\r', '\n').Count(c => c == '\n') + 1);

    /// <summary>UTF-8 or UTF-16 by their BOM; without one, UTF-8 when the bytes are valid UTF-8, Windows-1251 when not.</summary>
    private static (string Text, string Encoding) Decode(byte[] content)
    {
        if (content is [0xEF, 0xBB, 0xBF, ..])
        {
            return (Encoding.UTF8.GetString(content, 3, content.Length - 3), "UTF-8");
        }

        if (content is [0xFF, 0xFE, ..])
        {
            return (Encoding.Unicode.GetString(content, 2, content.Length - 2), "UTF-16");
        }

        if (content is [0xFE, 0xFF, ..])
        {
            return (Encoding.BigEndianUnicode.GetString(content, 2, content.Length - 2), "UTF-16");
        }

        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (Encoding.GetEncoding(1251).GetString(content), "Windows-1251");
        }
    }
}
