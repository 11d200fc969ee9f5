using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Import;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.Rendering;
using MailAccounts.WebHost.Search;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Imported;

/// <summary>
/// Imported mail: the letters the system holds that the user may read, newest first, a page of the user's page size,
/// read from the database alone (no mail server is asked). One account's, or all of them.
/// </summary>
public sealed class IndexModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    /// <summary>The account the list is narrowed to; null for all.</summary>
    public Guid? Account { get; private set; }

    public IHtmlContent List { get; private set; } = HtmlString.Empty;

    /// <summary>Messages of the user's accounts that wait in quarantine ("Could not import").</summary>
    public int Failed { get; private set; }

    /// <summary>What the last action here did (a letter deleted).</summary>
    public string? Notice { get; private set; }

    /// <summary>The search box above the list, with what was asked and any problem at its field.</summary>
    public SearchBox Search { get; private set; } = null!;

    /// <summary>Whether the list is a search's results (the box or the form asked something).</summary>
    public bool Searching { get; private set; }

    public async Task<IActionResult> OnGetAsync(
        Guid? account, [FromQuery(Name = "p")] int pageNumber = 1, [FromQuery(Name = "after")] string? after = null, CancellationToken cancellationToken = default)
    {
        Notice = TempData[NoticeKey] as string;
        Accounts = await ImportedMail.AccountsAsync(session, User.Actor(), cancellationToken);
        if (account is { } chosen && Accounts.All(a => a.Id != chosen))
        {
            return this.NotFoundPage(Missing.InEmail(Missing.Account));
        }

        Account = account;
        var pageSize = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).PageSize;
        Failed = (await ImportedMail.QuarantinedAsync(session, User.Actor(), cancellationToken)).Count;
        var titles = Accounts.ToDictionary(a => a.Id, a => a.Title);
        var form = SearchForm.Read(Request.Query);
        Searching = form.IsSearch;
        var hidden = account is { } narrowed ? [new KeyValuePair<string, string>("account", narrowed.ToString())] : Array.Empty<KeyValuePair<string, string>>();
        var problems = new List<SearchProblem>();
        object list;
        if (Searching)
        {
            var request = form.Parse(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ReaderZone.Current).DateTime), [SearchScope.Imported]);
            problems.AddRange(request.Problems);
            var results = request.Criteria is { } criteria
                ? await ImportedSearch.SearchAsync(session, User.Actor(), criteria, after, pageSize, cancellationToken, account)
                : new ImportedResults([], null, []);
            problems.AddRange(results.Problems.Select(p => new SearchProblem(FieldOf(form, p), p)));
            var here = "/Email/Imported?" + string.Join("&", hidden.Select(h => $"{h.Key}={h.Value}").Append(form.QueryString()).Where(q => q.Length > 0));
            list = new
            {
                Rows = results.Letters.Select(found => Row(found.Letter, titles, found.Headline)).ToArray(),
                Pages = Array.Empty<object>(),
                Previous = after is null ? "" : here,
                Next = results.After is { } next ? here + "&after=" + Uri.EscapeDataString(next) : "",
                Empty = text[problems.Count > 0 ? "Imported.SearchNotRun" : "Search.NothingFound"].Value,
                Searching = true,
            };
        }
        else
        {
            var page = await ImportedMail.PageAsync(session, User.Actor(), pageNumber, pageSize, cancellationToken, account);
            list = new
            {
                Rows = page.Letters.Select(l => Row(l, titles, null)).ToArray(),
                Pages = PageNumbers(page.Page, page.PageCount).Select(p => new { Number = p, Url = PageUrl(p), Current = p == page.Page }).ToArray(),
                Previous = page.Page > 1 ? PageUrl(page.Page - 1) : "",
                Next = page.Page < page.PageCount ? PageUrl(page.Page + 1) : "",
                Empty = text["Imported.Empty"].Value,
                Searching = false,
            };
        }

        Search = new SearchBox(form, "/Email/Imported", [SearchScope.Imported], hidden, problems, Flags: false);
        List = templates.View("ImportedList", text, list,
            "Client.From", "Client.Subject", "Client.Date", "Imported.FoundIn", "Client.Attachment", "Client.Previous", "Client.Next",
            "Client.Pages", "Search.FirstPage");
        return Page();
    }

    private object Row(Letter letter, Dictionary<Guid, string> titles, IReadOnlyList<HeadlinePart>? headline) => new
    {
        Id = letter.Id.ToString(),
        From = letter.Headers.From,
        Subject = letter.Headers.Subject.Length == 0 ? text["Client.NoSubject"].Value : letter.Headers.Subject,
        Date = letter.Sorted.Short(),
        DateFull = letter.Sorted.Display(),
        DateIso = letter.Sorted.Iso(),
        HasAttachments = letter.Attachments.Count > 0,
        // Only the accounts the reader may use: a letter also found in someone else's mailbox does not name it.
        Accounts = string.Join(", ", letter.AccountIds.Where(titles.ContainsKey).Select(a => titles[a]).Distinct()),
        Url = $"/Email/Imported/Letter?id={letter.Id}",
        Headline = (headline ?? []).Select(p => new { p.Text, p.Matched }).ToArray(),
    };

    /// <summary>Where a problem of imported mail is said: at the box when the query words asked it, else at the form's field.</summary>
    private static string FieldOf(SearchForm form, QueryProblem problem)
    {
        var field = problem.Part.TrimStart('-') switch
        {
            "is:unread" or "is:read" => "unread",
            "is:flagged" or "is:unflagged" => "flagged",
            _ => "answered",
        };
        return form.Q.Contains(problem.Part, StringComparison.OrdinalIgnoreCase) ? SearchForm.Box : field;
    }

    public const string NoticeKey = "ImportedNotice";

    private string PageUrl(int page) => $"/Email/Imported?{(Account is { } a ? $"account={a}&" : "")}p={page}";

    /// <summary>The first and last page and those around the current one, as the live list numbers them.</summary>
    private static IEnumerable<int> PageNumbers(int page, int count) =>
        new[] { 1, count }.Concat(Enumerable.Range(page - 3, 7)).Where(p => p >= 1 && p <= count).Distinct().Order();
}
