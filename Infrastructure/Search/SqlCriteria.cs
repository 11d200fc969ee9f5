using System.Text;
using MailAccounts.Domain.Search;

namespace MailAccounts.Infrastructure.Search;

/// <summary>A WHERE fragment with <c>?</c> placeholders (Marten's MatchesSql), and its parameters in order.</summary>
public sealed record SqlWhere(string Sql, IReadOnlyList<object> Parameters);

/// <summary>
/// The criteria as SQL over imported mail's search row (<see cref="SearchIndex"/>, alias <c>t</c>) and the letter
/// document (alias <c>d</c>): the same clauses as <see cref="ImapCriteria"/> sends a server, ANDed, each clause's terms
/// ORed, a negated term under NOT. Words go to a weighted <c>tsquery</c> that this class writes itself from the parsed
/// words, every word quoted, so whatever was typed it is a valid query and never an error (subject: weight A; body:
/// D; the default fields: A, or From, To and Cc by part of the address or name through the trigram index; the whole
/// message: any weight). Flags are the servers' state: imported letters have none, so those criteria are a problem
/// for this scope, never silently ignored. Pure: domain specs read it without a database.
/// </summary>
public static class SqlCriteria
{
    /// <summary>Imported letters keep no read, flagged or answered state: the criteria cannot be answered here.</summary>
    public const string NoFlagsInImported = "Search.NoFlagsInImported";

    /// <summary>A longer word is cut: PostgreSQL refuses a tsquery word above 2,046 bytes, and no real word is this long.</summary>
    public const int MaxWordLength = 100;

    /// <summary>The criteria imported mail cannot answer, each with the query word a user would recognise.</summary>
    public static IReadOnlyList<QueryProblem> Unanswerable(MailCriteria criteria)
    {
        var problems = new List<QueryProblem>();
        if (criteria.Unread is { } unread)
        {
            problems.Add(new QueryProblem(NoFlagsInImported, unread ? "is:unread" : "is:read"));
        }

        if (criteria.Flagged is { } flagged)
        {
            problems.Add(new QueryProblem(NoFlagsInImported, flagged ? "is:flagged" : "is:unflagged"));
        }

        if (criteria.Answered is { } answered)
        {
            problems.Add(new QueryProblem(NoFlagsInImported, answered ? "is:answered" : "is:unanswered"));
        }

        return problems;
    }

    /// <summary>
    /// The text clauses over the search row <c>t</c>, ANDed; null when the criteria have no text. Dates, sizes and
    /// attachments are the letter document's and are asked by <see cref="ImportedSearch"/> through Marten's LINQ.
    /// </summary>
    public static SqlWhere? Text(MailCriteria criteria)
    {
        if (criteria.Text.Count == 0)
        {
            return null;
        }

        var parameters = new List<object>();
        var clauses = criteria.Text.Select(clause => "(" + string.Join(" or ", clause.Select(term => Term(term, parameters))) + ")");
        return new SqlWhere(string.Join(" and ", clauses), parameters);
    }

    /// <summary>
    /// What the shown rows' preview highlights: every word searched for and not left out, any field, ORed; null when
    /// nothing was (a search by conditions alone shows the usual preview).
    /// </summary>
    public static string? Highlighted(MailCriteria criteria)
    {
        var queries = criteria.Text.SelectMany(c => c).Where(t => !t.Negated)
            .Select(t => TsQuery(t.Text, t.Phrase, weights: "")).OfType<string>().Distinct().ToArray();
        return queries.Length == 0 ? null : string.Join(" | ", queries.Select(q => "(" + q + ")"));
    }

    private static string Term(TextTerm term, List<object> parameters)
    {
        var words = term.Field switch
        {
            TextField.Subject => Words(term, "A", parameters),
            TextField.Body => Words(term, "D", parameters),
            TextField.From => Like("sender", term.Text, parameters),
            TextField.To => Like("recipients", term.Text, parameters),
            TextField.Any => $"({Words(term, "A", parameters)} or {Like("sender", term.Text, parameters)} or {Like("recipients", term.Text, parameters)})",
            _ => $"({Words(term, "", parameters)} or {Like("sender", term.Text, parameters)} or {Like("recipients", term.Text, parameters)})",
        };
        return term.Negated ? $"not {words}" : words;
    }

    private static string Words(TextTerm term, string weights, List<object> parameters)
    {
        if (TsQuery(term.Text, term.Phrase, weights) is not { } query)
        {
            // Nothing that is a word (punctuation alone): no letter holds it.
            return "false";
        }

        parameters.Add(query);
        return $"t.document @@ to_tsquery('{SearchIndex.TextConfiguration}', ?)";
    }

    private static string Like(string column, string text, List<object> parameters)
    {
        parameters.Add("%" + SearchIndex.Lower(text.Trim()).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%");
        return $"t.{column} like ?";
    }

    /// <summary>
    /// The text of a <c>to_tsquery</c> in the search configuration: each word quoted (so that no character of it is an
    /// operator) and in lower case as the index is (<see cref="SearchIndex.Lower"/>), with the weights it may have; a phrase's words in order (<c>&lt;-&gt;</c>), a term's several words
    /// all (<c>&amp;</c>). PostgreSQL stems each quoted word as it stems the letters. Null when no word is left.
    /// </summary>
    public static string? TsQuery(string text, bool phrase, string weights)
    {
        var words = Split(text);
        if (words.Count == 0)
        {
            return null;
        }

        var suffix = weights.Length > 0 ? ":" + weights : "";
        var quoted = words.Select(w => "'" + SearchIndex.Lower(w).Replace("\\", "\\\\").Replace("'", "''") + "'" + suffix);
        return string.Join(phrase ? " <-> " : " & ", quoted);
    }

    /// <summary>Letters and digits, as the text search parser reads words; what is between them only separates.</summary>
    private static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || (word.Length > 0 && rune.Value is '@' or '.' or '-' or '_' or '\''))
            {
                word.Append(rune.ToString());
                continue;
            }

            Flush(word, words);
        }

        Flush(word, words);
        return words;
    }

    private static void Flush(StringBuilder word, List<string> words)
    {
        var value = word.ToString().TrimEnd('@', '.', '-', '_', '\'');
        if (value.Length > 0)
        {
            words.Add(value.Length > MaxWordLength ? value[..MaxWordLength] : value);
        }

        word.Clear();
    }
}
