using MailAccounts.Domain.Search;

namespace MailAccounts.WebHost.Search;

/// <summary>
/// What the shared search box (<c>Pages/Shared/_SearchBox.cshtml</c>) shows: the form's values, where it sends them
/// (<paramref name="Action"/>, with <paramref name="Hidden"/> kept beside them: the account and folder of a live list),
/// the scopes this list offers (the first is the default), scopes that are another page (Imported mail: a link with the
/// same query), the problems to say at their fields, and notes on what the scope can search (POP3).
/// </summary>
public sealed record SearchBox(
    SearchForm Form,
    string Action,
    IReadOnlyList<SearchScope> Scopes,
    IReadOnlyList<KeyValuePair<string, string>>? Hidden = null,
    IReadOnlyList<SearchProblem>? Problems = null,
    IReadOnlyList<SearchScope>? Elsewhere = null,
    IReadOnlyList<string>? Notes = null)
{
    public IReadOnlyList<KeyValuePair<string, string>> HiddenFields => Hidden ?? [];

    public IReadOnlyList<SearchProblem> AllProblems => Problems ?? [];

    public IReadOnlyList<string> AllNotes => Notes ?? [];

    public IEnumerable<SearchProblem> At(string field) => AllProblems.Where(p => p.Field == field);

    /// <summary>The resx key that names a scope.</summary>
    public static string ScopeKey(SearchScope scope) => "Search.Scope." + SearchForm.NameOf(scope);

    /// <summary>Where a scope that is another page lists this search: Imported mail reads the same names.</summary>
    public string UrlOf(SearchScope scope) => scope switch
    {
        SearchScope.Imported => "/Email/Imported" + (Form.QueryString("scope") is { Length: > 0 } q ? "?" + q : ""),
        _ => Action,
    };

    /// <summary>Whether the advanced part opens at once: one of its fields is filled or has a problem.</summary>
    public bool Advanced =>
        AllProblems.Any(p => p.Field != SearchForm.Box)
        || Form.Pairs().Any(p => p.Key is not (SearchForm.Box or "scope"));
}
