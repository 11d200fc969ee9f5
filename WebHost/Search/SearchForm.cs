using System.Globalization;
using System.Text;
using MailAccounts.Domain.Search;
using Microsoft.AspNetCore.Http;

namespace MailAccounts.WebHost.Search;

/// <summary>A problem of the search, at the field it is about (<see cref="SearchForm.Box"/> for the query words).</summary>
public sealed record SearchProblem(string Field, QueryProblem Problem);

/// <summary>What a search asks for, read: the criteria (null when a problem was found), every problem, and the scope.</summary>
public sealed record SearchRequest(MailCriteria? Criteria, IReadOnlyList<SearchProblem> Problems, SearchScope Scope)
{
    public bool IsValid => Criteria is not null;
}

/// <summary>
/// The search box and its advanced form as a query string: one place that turns the names below into criteria and a
/// scope, and criteria back into the form's values, so that the box, the form and every page that lists mail (live
/// folders, Imported mail, a contact's correspondence) read the same address. Everything is GET: a search is a link.
/// <list type="bullet">
/// <item><c>q</c>: the box, in query words (<see cref="QueryWords"/>); <c>in</c>: where its plain words are looked for:
/// <c>any</c> (From, To, Cc, Subject; the default), <c>body</c> or <c>whole</c> (the whole message).</item>
/// <item><c>from</c>, <c>to</c>, <c>subject</c>, <c>body</c>: text each field must contain.</item>
/// <item><c>date</c>: <c>today</c>, <c>week</c>, <c>month</c> or <c>year</c> (relative, so a bookmark stays "the last
/// week"); or <c>since</c> and <c>until</c>, days included (yyyy-MM-dd).</item>
/// <item><c>unread</c>, <c>flagged</c>, <c>answered</c>, <c>attachment</c>: <c>yes</c> or <c>no</c>.</item>
/// <item><c>larger</c>, <c>smaller</c>: a size (500, 10K, 5M).</item>
/// <item><c>scope</c>: <c>folder</c>, <c>subfolders</c>, <c>account</c>, <c>all</c> or <c>imported</c>; <c>p</c>: the page.</item>
/// </list>
/// Where the box and a field say different things (the box says is:unread, the field says read), the box wins: it is
/// what was typed last, since a shown form moves what the box said into its fields.
/// </summary>
public sealed record SearchForm
{
    public const string Box = "q";

    /// <summary>Every name the form uses, so that a page can keep its own parameters (account, folder) beside them.</summary>
    public static readonly string[] Names =
        [Box, "in", "from", "to", "subject", "body", "date", "since", "until", "unread", "flagged", "answered", "attachment", "larger", "smaller", "scope"];

    public static readonly string[] Presets = ["today", "week", "month", "year"];

    public string Q { get; init; } = "";
    public string In { get; init; } = "any";
    public string From { get; init; } = "";
    public string To { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Body { get; init; } = "";
    public string Date { get; init; } = "";
    public string Since { get; init; } = "";
    public string Until { get; init; } = "";
    public string Unread { get; init; } = "";
    public string Flagged { get; init; } = "";
    public string Answered { get; init; } = "";
    public string Attachment { get; init; } = "";
    public string Larger { get; init; } = "";
    public string Smaller { get; init; } = "";
    public string Scope { get; init; } = "";

    /// <summary>Whether anything is asked at all (a scope alone is not a search).</summary>
    public bool IsSearch => Pairs().Any(p => p.Key != "scope" && p.Key != "in");

    public static SearchForm Read(IQueryCollection query)
    {
        string Get(string name) => (query[name].FirstOrDefault() ?? "").Trim();
        return new SearchForm
        {
            Q = Get(Box), In = Get("in") is "body" or "whole" ? Get("in") : "any", From = Get("from"), To = Get("to"), Subject = Get("subject"),
            Body = Get("body"), Date = Presets.Contains(Get("date")) ? Get("date") : "", Since = Get("since"), Until = Get("until"),
            Unread = YesNo(Get("unread")), Flagged = YesNo(Get("flagged")), Answered = YesNo(Get("answered")), Attachment = YesNo(Get("attachment")),
            Larger = Get("larger"), Smaller = Get("smaller"), Scope = Get("scope"),
        };
    }

    private static string YesNo(string value) => value is "yes" or "no" ? value : "";

    public static SearchScope? ScopeOf(string value) => value switch
    {
        "folder" => SearchScope.Folder,
        "subfolders" => SearchScope.Subfolders,
        "account" => SearchScope.Account,
        "all" => SearchScope.AllAccounts,
        "imported" => SearchScope.Imported,
        _ => null,
    };

    public static string NameOf(SearchScope scope) => scope switch
    {
        SearchScope.Folder => "folder",
        SearchScope.Subfolders => "subfolders",
        SearchScope.Account => "account",
        SearchScope.AllAccounts => "all",
        _ => "imported",
    };

    /// <summary>
    /// The criteria the box and the fields say together, and the scope (the first of <paramref name="offered"/> when the
    /// address names none or one the page does not offer). <paramref name="today"/> is the reader's day, for the presets.
    /// </summary>
    public SearchRequest Parse(DateOnly today, IReadOnlyList<SearchScope> offered)
    {
        var scope = ScopeOf(Scope) is { } named && offered.Contains(named) ? named : offered.Count > 0 ? offered[0] : SearchScope.Folder;
        var problems = new List<SearchProblem>();
        var parsed = QueryWords.Parse(Q);
        problems.AddRange(parsed.Problems.Select(p => new SearchProblem(Box, p)));
        var box = parsed.Criteria ?? MailCriteria.Everything;

        var field = In switch { "body" => TextField.Body, "whole" => TextField.Whole, _ => TextField.Any };
        var clauses = box.Text.Select(c => (IReadOnlyList<TextTerm>)[.. c.Select(t => t.Field == TextField.Any ? t with { Field = field } : t)]).ToList();
        foreach (var (value, into) in new[] { (From, TextField.From), (To, TextField.To), (Subject, TextField.Subject), (Body, TextField.Body) })
        {
            if (value.Length > QueryWords.MaxLength)
            {
                problems.Add(new SearchProblem(Key(into), new QueryProblem(QueryWords.TooLong, QueryWords.MaxLength.ToString(CultureInfo.InvariantCulture))));
            }
            else if (value.Length > 0)
            {
                clauses.Add([new TextTerm(into, value.Replace("\"", ""), Phrase: value.Any(char.IsWhiteSpace))]);
            }
        }

        DateOnly? since = box.Since, before = box.Before;
        if (since is null && before is null && Date.Length > 0)
        {
            since = Date switch { "today" => today, "week" => today.AddDays(-6), "month" => today.AddMonths(-1), _ => today.AddYears(-1) };
        }

        if (box.Since is null && Day(Since, "since", problems) is { } from)
        {
            since = from;
        }

        if (box.Before is null && Day(Until, "until", problems) is { } until)
        {
            before = until.AddDays(1);
        }

        if (since is { } first && before is { } last && first >= last && !problems.Any(p => p.Problem.Code == QueryWords.DatesCrossed))
        {
            problems.Add(new SearchProblem(Until.Length > 0 ? "until" : Box, new QueryProblem(QueryWords.DatesCrossed, $"{first:yyyy-MM-dd} {last:yyyy-MM-dd}")));
        }

        long? Size(string value, string name)
        {
            if (value.Length == 0)
            {
                return null;
            }

            if (QueryWords.Size(value) is { } bytes)
            {
                return bytes;
            }

            problems.Add(new SearchProblem(name, new QueryProblem(QueryWords.BadSize, value)));
            return null;
        }

        var larger = box.Larger ?? Size(Larger, "larger");
        var smaller = box.Smaller ?? Size(Smaller, "smaller");
        bool? Flag(bool? said, string value) => said ?? (value == "yes" ? true : value == "no" ? false : null);
        var criteria = new MailCriteria(clauses, Flag(box.Unread, Unread), Flag(box.Flagged, Flagged), Flag(box.Answered, Answered),
            Flag(box.HasAttachment, Attachment), since, before, larger, smaller);
        return new SearchRequest(problems.Count == 0 ? criteria : null, problems, scope);
    }

    private static DateOnly? Day(string value, string name, List<SearchProblem> problems)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, ["yyyy-MM-dd", "dd.MM.yyyy", "yyyy/MM/dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        problems.Add(new SearchProblem(name, new QueryProblem(QueryWords.BadDate, value)));
        return null;
    }

    private static string Key(TextField field) => field switch
    {
        TextField.From => "from",
        TextField.To => "to",
        TextField.Subject => "subject",
        _ => "body",
    };

    /// <summary>
    /// The form that says <paramref name="criteria"/>: a field's first plain term goes to the field, the flags, days and
    /// sizes to theirs, and what no field can hold (words of any field, OR, a word left out, a second term of a field)
    /// back into the box as query words. Reading the result gives the same criteria. A preset stays a preset.
    /// </summary>
    public static SearchForm For(MailCriteria criteria, SearchScope scope, string preset = "", DateOnly? presetSince = null)
    {
        var fields = new Dictionary<TextField, string>();
        var rest = new List<string>();
        foreach (var clause in criteria.Text)
        {
            if (clause is [{ Negated: false, Field: TextField.From or TextField.To or TextField.Subject or TextField.Body } term]
                && !fields.ContainsKey(term.Field) && !term.Text.Contains('"') && term.Phrase == term.Text.Any(char.IsWhiteSpace))
            {
                fields[term.Field] = term.Text;
                continue;
            }

            rest.Add(string.Join(" OR ", clause.Select(Words)));
        }

        var keepPreset = preset.Length > 0 && criteria.Since == presetSince && criteria.Before is null;
        string Flag(bool? value) => value is { } yes ? (yes ? "yes" : "no") : "";
        return new SearchForm
        {
            Q = string.Join(' ', rest),
            From = fields.GetValueOrDefault(TextField.From, ""),
            To = fields.GetValueOrDefault(TextField.To, ""),
            Subject = fields.GetValueOrDefault(TextField.Subject, ""),
            Body = fields.GetValueOrDefault(TextField.Body, ""),
            Date = keepPreset ? preset : "",
            Since = keepPreset ? "" : criteria.Since?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            Until = criteria.Before?.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            Unread = Flag(criteria.Unread),
            Flagged = Flag(criteria.Flagged),
            Answered = Flag(criteria.Answered),
            Attachment = Flag(criteria.HasAttachment),
            Larger = criteria.Larger?.ToString(CultureInfo.InvariantCulture) ?? "",
            Smaller = criteria.Smaller?.ToString(CultureInfo.InvariantCulture) ?? "",
            Scope = NameOf(scope),
        };
    }

    /// <summary>A term as the box would say it: <c>-from:"Анна Смирнова"</c>.</summary>
    private static string Words(TextTerm term)
    {
        var prefix = term.Field switch
        {
            TextField.From => "from:",
            TextField.To => "to:",
            TextField.Subject => "subject:",
            TextField.Body => "body:",
            TextField.Whole => "text:",
            _ => "",
        };
        var text = term.Text.Replace("\"", "");
        var bare = !term.Phrase && !text.Any(char.IsWhiteSpace) && text != "OR" && !text.StartsWith('-') && (prefix.Length > 0 || !text.Contains(':'));
        return (term.Negated ? "-" : "") + prefix + (bare ? text : $"\"{text}\"");
    }

    /// <summary>The names and values given (none empty, <c>in=any</c> left out), in the order of <see cref="Names"/>.</summary>
    public IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        var values = new[] { Q, In == "any" ? "" : In, From, To, Subject, Body, Date, Since, Until, Unread, Flagged, Answered, Attachment, Larger, Smaller, Scope };
        return Names.Zip(values, (name, value) => new KeyValuePair<string, string>(name, value)).Where(p => p.Value.Length > 0);
    }

    /// <summary>The search as a query string ("q=…&amp;unread=yes"), without the leading "?"; <paramref name="without"/> left out.</summary>
    public string QueryString(params string[] without)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in Pairs().Where(p => !without.Contains(p.Key)))
        {
            builder.Append(builder.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}
