using System.Globalization;
using System.Text;

namespace MailAccounts.Domain.Search;

/// <summary>What is wrong with a query, for the box to say in the reader's language: a stable code and the part at fault.</summary>
public sealed record QueryProblem(string Code, string Part);

/// <summary>A query read: the criteria, or every problem found (never an exception, whatever was typed).</summary>
public sealed record ParsedQuery(MailCriteria? Criteria, IReadOnlyList<QueryProblem> Problems)
{
    public bool IsValid => Criteria is not null;
}

/// <summary>
/// The search box's query words, as Gmail and Roundcube users know them: <c>from:</c> <c>to:</c> <c>subject:</c>
/// <c>body:</c> <c>text:</c> <c>has:attachment</c> <c>is:unread|read|flagged|unflagged|answered|unanswered</c>
/// <c>after:</c> (or <c>since:</c>) and <c>before:</c> with a day (2026-11-30, 2026/11/30 or 30.11.2026),
/// <c>larger:</c> and <c>smaller:</c> with a size (500, 10K, 5M, 1G), quoted phrases, <c>-word</c> to leave out, and
/// <c>OR</c> (in capitals) between two terms. Words side by side must all match. Pure: the domain specs need no server.
/// </summary>
public static class QueryWords
{
    public const string UnclosedQuote = "Search.UnclosedQuote";
    public const string EmptyValue = "Search.EmptyValue";
    public const string UnknownIs = "Search.UnknownIs";
    public const string UnknownHas = "Search.UnknownHas";
    public const string BadDate = "Search.BadDate";
    public const string BadSize = "Search.BadSize";
    public const string DanglingOr = "Search.DanglingOr";
    public const string NegatedOr = "Search.NegatedOr";
    public const string DatesCrossed = "Search.DatesCrossed";
    public const string TooLong = "Search.TooLong";

    /// <summary>Longer than this, a query is refused: no one types it, and each term costs the servers a search.</summary>
    public const int MaxLength = 1000;

    private static readonly string[] DayFormats = ["yyyy-MM-dd", "yyyy/MM/dd", "dd.MM.yyyy", "yyyy-M-d", "yyyy/M/d", "d.M.yyyy"];

    public static ParsedQuery Parse(string? query)
    {
        var text = (query ?? "").Trim();
        if (text.Length > MaxLength)
        {
            return new ParsedQuery(null, [new QueryProblem(TooLong, MaxLength.ToString(CultureInfo.InvariantCulture))]);
        }

        var problems = new List<QueryProblem>();
        var tokens = Tokens(text, problems);
        var clauses = new List<List<TextTerm>>();
        bool? unread = null, flagged = null, answered = null, attachment = null;
        DateOnly? since = null, before = null;
        long? larger = null, smaller = null;
        var joinNext = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token is { Quoted: false, Value: "OR" })
            {
                if (clauses.Count == 0 || i == tokens.Count - 1 || joinNext)
                {
                    problems.Add(new QueryProblem(DanglingOr, "OR"));
                }

                joinNext = true;
                continue;
            }

            var term = Term(token, problems, ref unread, ref flagged, ref answered, ref attachment, ref since, ref before, ref larger, ref smaller);
            if (term is null)
            {
                if (joinNext)
                {
                    // OR joins words, not conditions: "is:unread OR from:x" cannot be said to a server in one clause.
                    problems.Add(new QueryProblem(DanglingOr, token.Raw));
                    joinNext = false;
                }

                continue;
            }

            if (joinNext && clauses.Count > 0)
            {
                if (term.Negated || clauses[^1].Any(t => t.Negated))
                {
                    problems.Add(new QueryProblem(NegatedOr, token.Raw));
                }

                clauses[^1].Add(term);
                joinNext = false;
            }
            else
            {
                clauses.Add([term]);
                joinNext = false;
            }
        }

        if (since is { } first && before is { } last && first >= last)
        {
            problems.Add(new QueryProblem(DatesCrossed, $"{first:yyyy-MM-dd} {last:yyyy-MM-dd}"));
        }

        return problems.Count > 0
            ? new ParsedQuery(null, problems)
            : new ParsedQuery(new MailCriteria([.. clauses], unread, flagged, answered, attachment, since, before, larger, smaller), []);
    }

    private static TextTerm? Term(
        Token token, List<QueryProblem> problems, ref bool? unread, ref bool? flagged, ref bool? answered, ref bool? attachment,
        ref DateOnly? since, ref DateOnly? before, ref long? larger, ref long? smaller)
    {
        if (token.Field is not { } field)
        {
            return token.Value.Length == 0 ? null : new TextTerm(TextField.Any, token.Value, token.Quoted, token.Negated);
        }

        var value = token.Value;
        if (value.Length == 0)
        {
            problems.Add(new QueryProblem(EmptyValue, token.Raw));
            return null;
        }

        switch (field)
        {
            case "from":
                return new TextTerm(TextField.From, value, token.Quoted, token.Negated);
            case "to":
            case "cc":
                return new TextTerm(TextField.To, value, token.Quoted, token.Negated);
            case "subject":
                return new TextTerm(TextField.Subject, value, token.Quoted, token.Negated);
            case "body":
                return new TextTerm(TextField.Body, value, token.Quoted, token.Negated);
            case "text":
                return new TextTerm(TextField.Whole, value, token.Quoted, token.Negated);
            case "is":
                var yes = !token.Negated;
                switch (value.ToLowerInvariant())
                {
                    case "unread": unread = yes; break;
                    case "read": unread = !yes; break;
                    case "flagged" or "starred": flagged = yes; break;
                    case "unflagged" or "unstarred": flagged = !yes; break;
                    case "answered" or "replied": answered = yes; break;
                    case "unanswered": answered = !yes; break;
                    default: problems.Add(new QueryProblem(UnknownIs, token.Raw)); break;
                }

                return null;
            case "has":
                if (value.Equals("attachment", StringComparison.OrdinalIgnoreCase) || value.Equals("attachments", StringComparison.OrdinalIgnoreCase))
                {
                    attachment = !token.Negated;
                }
                else
                {
                    problems.Add(new QueryProblem(UnknownHas, token.Raw));
                }

                return null;
            case "after" or "since" or "before":
                if (!DateOnly.TryParseExact(value, DayFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    problems.Add(new QueryProblem(BadDate, token.Raw));
                }
                else if (field == "before")
                {
                    before = day;
                }
                else
                {
                    since = day;
                }

                return null;
            case "larger" or "smaller":
                if (Size(value) is not { } bytes)
                {
                    problems.Add(new QueryProblem(BadSize, token.Raw));
                }
                else if (field == "larger")
                {
                    larger = bytes;
                }
                else
                {
                    smaller = bytes;
                }

                return null;
            default:
                throw new InvalidOperationException($"The field {field} is read as a field but has no meaning here.");
        }
    }

    /// <summary>500, 10K, 5M, 1G (KB, MB, GB too; binary multiples, as mail clients count).</summary>
    public static long? Size(string value)
    {
        var text = value.Trim().ToUpperInvariant();
        if (text.EndsWith('B') && text.Length > 1 && !char.IsDigit(text[^2]))
        {
            text = text[..^1];
        }

        var multiplier = text.Length > 0 ? text[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L } : 1L;
        var number = multiplier == 1 ? text : text[..^1];
        return number.Length is > 0 and <= 12 && number.All(char.IsAsciiDigit) && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n <= long.MaxValue / multiplier
            ? n * multiplier
            : null;
    }

    /// <summary>A word of the query: <paramref name="Field"/> when it is <c>field:value</c>, its value unquoted.</summary>
    private sealed record Token(string Raw, string? Field, string Value, bool Quoted, bool Negated);

    private static readonly HashSet<string> Fields =
        ["from", "to", "cc", "subject", "body", "text", "is", "has", "after", "since", "before", "larger", "smaller"];

    private static List<Token> Tokens(string text, List<QueryProblem> problems)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var negated = text[i] == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]);
            if (negated)
            {
                i++;
            }

            string? field = null;
            var colon = FieldEnd(text, i);
            if (colon > i && Fields.Contains(text[i..colon].ToLowerInvariant()))
            {
                field = text[i..colon].ToLowerInvariant();
                i = colon + 1;
            }

            var value = new StringBuilder();
            var quoted = false;
            if (i < text.Length && text[i] == '"')
            {
                quoted = true;
                var close = text.IndexOf('"', i + 1);
                if (close < 0)
                {
                    problems.Add(new QueryProblem(UnclosedQuote, text[start..]));
                    value.Append(text[(i + 1)..]);
                    i = text.Length;
                }
                else
                {
                    value.Append(text[(i + 1)..close]);
                    i = close + 1;
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    value.Append(text[i++]);
                }
            }

            tokens.Add(new Token(text[start..i], field, value.ToString().Trim(), quoted, negated));
        }

        return tokens;
    }

    /// <summary>Where a <c>field:</c> prefix ends (the colon), or -1.</summary>
    private static int FieldEnd(string text, int start)
    {
        for (var i = start; i < text.Length && i - start <= 8; i++)
        {
            if (text[i] == ':')
            {
                return i;
            }

            if (!char.IsAsciiLetterLower(text[i]) && !char.IsAsciiLetterUpper(text[i]))
            {
                return -1;
            }
        }

        return -1;
    }
}
