using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.Rendering;
using MailAccounts.WebHost.Search;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Wolverine;

namespace MailAccounts.WebHost.Pages.Email;

/// <summary>
/// Communication » E-mail: the accounts on the left (the active one in bold), its folders with unread counts,
/// and one page of the folder's messages, read live from the server and stored nowhere. Several accounts chosen
/// with Ctrl-click show their inboxes together, newest first, each row marked with its account.
/// </summary>
public sealed class IndexModel(
    IQuerySession session, IDocumentStore store, IMessageBus bus, Commands commands, MailClient mail, MailTestLimiter limiter, MailReadLimiter reads, TemplateRenderer templates,
    IStringLocalizer<SharedResource> text, LiveSearch search)
    : PageModel
{
    /// <summary>
    /// How deep the inboxes shown together are read: the newest this many of each. Page p of the merged list needs
    /// the newest p × size of every inbox, so without a bound one address could make the host fetch a whole mailbox.
    /// </summary>
    public const int MergedDepth = 5000;

    /// <summary>Minutes between automatic refreshes of the page; 0 when the user checks mail manually.</summary>
    public int RefreshMinutes { get; private set; }

    /// <summary>Check mail: queues a check of every account's counts, then shows the same view again (its messages are read live).</summary>
    public async Task<IActionResult> OnPostCheckMailAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        if (limiter.TryAcquire(User.Id()))
        {
            await bus.PublishAsync(new CheckMailNow(User.Id()));
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/Email");
    }

    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    public Account? Active { get; private set; }

    /// <summary>The accounts shown together; one for the usual view.</summary>
    public IReadOnlyList<Account> Selected { get; private set; } = [];

    public IReadOnlyList<FolderView> Folders { get; private set; } = [];

    /// <summary>The mailbox quota under the folder list; null when the server states none (or several accounts are shown).</summary>
    public QuotaLine? Quota { get; private set; }

    public string Folder { get; private set; } = "INBOX";

    public IHtmlContent List { get; private set; } = HtmlString.Empty;

    public string? Problem { get; private set; }

    /// <summary>The accounts shown whose provider no longer accepts their sign-in: a banner each, with Reconnect.</summary>
    public IReadOnlyList<Settings.Accounts.ReconnectBanner> Reconnects { get; private set; } = [];

    /// <summary>Messages the server did not take, waiting in the Not sent list.</summary>
    public int NotSent { get; private set; }

    /// <summary>The import state of each account that imports, under the Imported mail entry (import-progress.js keeps it up to date).</summary>
    public IReadOnlyList<Infrastructure.Import.AccountImport> Imports { get; private set; } = [];

    /// <summary>The cookie the list's script sets: this browser runs it, so the page may come before its list (see <see cref="Deferred"/>).</summary>
    public const string ScriptCookie = "list-script";

    /// <summary>
    /// The shell alone (accounts, toolbar, "Loading messages…"): the script fetches the list with inline=1 and puts it
    /// in, so a silent server never holds the page. A browser without the script never has the cookie and gets the
    /// list inline, as does a request with inline=1.
    /// </summary>
    public bool Deferred { get; private set; }

    /// <summary>What the last list action did, and the forms that undo or confirm it.</summary>
    public ListNotice? Notice { get; private set; }

    /// <summary>The page of the folder shown (1 when several accounts are shown): the bulk form posts it so that an import returns to it.</summary>
    public int PageShown { get; private set; } = 1;

    /// <summary>The UIDs the last Import asked for (from the notice): import-marks.js asks for their marks until they show.</summary>
    public string? Importing { get; private set; }

    /// <summary>The bulk toolbar's actions: data, so that another slice (import) adds one by adding a row.</summary>
    public IReadOnlyList<(string Action, string Label, bool Danger)> BulkActions { get; private set; } = [];

    /// <summary>The folders a selection may be moved to: every one but the folder shown.</summary>
    public IEnumerable<FolderView> MoveTargets => Folders.Where(f => f.FullName != Folder);

    public ListPreference Preference { get; private set; } = new(Guid.Empty, ListSort.Date, true, false);

    /// <summary>Why the list is not in the order asked for (a server without SORT); null when it is.</summary>
    public string? OrderProblem { get; private set; }

    /// <summary>The search box above the list (the shared partial); null when there is no account to search.</summary>
    public SearchBox? Box { get; private set; }

    /// <summary>Whether the list shows search results (then without the bulk toolbar, whose actions are one folder's).</summary>
    public bool Searching { get; private set; }

    /// <summary>What the search found over every folder searched ("Found: 12"); null when not searching.</summary>
    public string? Found { get; private set; }

    /// <summary>The folders the search could not ask, each with why: the rest of the results are shown.</summary>
    public IReadOnlyList<string> NotSearched { get; private set; } = [];

    /// <summary>
    /// Whether the search's results come after the page (a script-running browser, a scope of several folders, page 1):
    /// the page has the status and an empty table, and live-search.js fills them from <see cref="StreamUrl"/>.
    /// </summary>
    public bool Streamed { get; private set; }

    /// <summary>The same search's address with handler=Stream (<see cref="OnGetStreamAsync"/>); null unless <see cref="Streamed"/>.</summary>
    public string? StreamUrl { get; private set; }

    /// <summary>The live scopes the box offers here; Imported mail is another page, a link with the same query.</summary>
    public static readonly SearchScope[] LiveScopes = [SearchScope.Folder, SearchScope.Subfolders, SearchScope.Account, SearchScope.AllAccounts];

    public string ThreadToggleUrl => $"/Email?account={Active!.Id}&folder={Uri.EscapeDataString(Folder)}&view={(Preference.Threaded ? "flat" : "threads")}";

    public async Task<IActionResult> OnGetAsync(
        Guid? account, string? accounts, string? folder, [FromQuery(Name = "p")] int pageNumber = 1,
        string? sort = null, string? dir = null, string? view = null, bool inline = false, CancellationToken cancellationToken = default)
    {
        Notice = ListNotice.From(TempData);
        Importing = TempData[ImportingKey] as string;
        Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken);
        NotSent = await OutgoingMailQueries.NotSentCountAsync(session, User.Id(), cancellationToken);
        Imports = [.. ImportStates.Shown(await Infrastructure.Import.ImportedMail.ProgressOfAsync(session, Accounts, cancellationToken))];
        var named = (accounts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (named.Any(a => !Guid.TryParse(a, out _)))
        {
            return this.BadRequestPage(Missing.InEmail("accounts"));
        }

        var requested = named
            .Select(Guid.Parse)
            .Concat(account is { } single ? [single] : [])
            .Distinct()
            .ToArray();
        Selected = requested.Length == 0
            ? Accounts.Take(1).ToArray()
            : Accounts.Where(a => requested.Contains(a.Id)).ToArray();
        if (Selected.Count != Math.Max(requested.Length, Math.Min(1, Accounts.Count)))
        {
            return this.NotFoundPage(Missing.InEmail(Missing.Account));
        }

        Active = Selected.FirstOrDefault();
        if (Active is null)
        {
            Problem = text["Accounts.Empty"];
            return Page();
        }

        var settings = await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken);
        RefreshMinutes = settings.CheckIntervalMinutes;
        var pageSize = settings.PageSize;
        // The page signs in to the mail servers: so many a minute per user, then it says to wait.
        if (!reads.TryAcquire(User.Id()))
        {
            Problem = text["Mail.TooManyReads"];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        Preference = await ListPreferences.ForUserAsync(session, User.Id(), cancellationToken);
        var chosen = Preference with
        {
            Sort = Enum.TryParse<ListSort>(sort, ignoreCase: true, out var by) && Enum.IsDefined(by) ? by : Preference.Sort,
            Descending = dir switch { "asc" => false, "desc" => true, _ => sort is null ? Preference.Descending : by != ListSort.Subject && by != ListSort.From },
            Threaded = view switch { "threads" => true, "flat" => false, _ => Preference.Threaded },
            Id = User.Id(),
        };
        if (chosen != Preference)
        {
            await ListPreferences.SaveAsync(store, chosen, cancellationToken);
            Preference = chosen;
        }

        var form = SearchForm.Read(Request.Query);
        var searched = form.IsSearch ? form.Parse(Today(), LiveScopes) : null;
        if (Selected.Count == 1)
        {
            Box = new SearchBox(
                Shown(form, searched),
                "/Email", LiveScopes, [new("account", Active.Id.ToString()), new("folder", folder ?? "INBOX")], searched?.Problems, [SearchScope.Imported],
                Accounts.Any(a => a.Incoming?.Protocol == IncomingProtocol.Pop3) && searched is not null ? [text["Search.Pop3Note"].Value] : null);
        }

        if (Selected.Count == 1 && !inline && Request.Cookies[ScriptCookie] == "1")
        {
            Folder = folder ?? "INBOX";
            if (searched is { Criteria: not null } && Streams(searched.Scope, pageNumber))
            {
                // The box, the empty table and the status at once; live-search.js brings the results as folders answer.
                Searching = Streamed = true;
                Found = Progress(searched.Scope == SearchScope.AllAccounts ? Accounts.Count : 1, 0);
                StreamUrl = Request.Path + Request.QueryString.Add("handler", "Stream");
                List = Results([], 1, 1, searched.Scope, _ => "", live: true);
                return Page();
            }

            Deferred = true;
            return Page();
        }

        if (Selected.Count == 1 && searched is { Criteria: { } criteria })
        {
            await SearchAsync(criteria, searched.Scope, form, folder ?? "INBOX", pageNumber, pageSize, settings, cancellationToken);
            return Page();
        }

        if (Selected.Count == 1)
        {
            var sent = folder is not null && folder == Active.SentFolder;
            var order = Preference.Order(sent);
            var read = await ReadAsync(Active, folder, pageNumber, pageSize, order, settings, cancellationToken, quota: true);
            // An account that needs reconnecting (or just found it does) says so in its banner, with Reconnect, not as a server error.
            var lost = await ReconnectsAsync(read.Problem is not null, cancellationToken);
            (Folders, Folder, Problem) = (read.Folders, read.Folder, lost.Contains(Active.Id) ? null : read.Problem);
            Quota = QuotaLine.Of(read.Quota, text);
            if (read.Page is { } page)
            {
                var applied = page.Order ?? ListOrder.Newest;
                OrderProblem = applied.Sort != order.Sort ? text["List.CannotSort"].Value : null;
                BulkActions = Active.Incoming?.Protocol == IncomingProtocol.Imap
                    ? [("read", text["List.MarkRead"], false), ("unread", text["List.MarkUnread"], false), ("flag", text["List.Flag"], false),
                        ("unflag", text["List.Unflag"], false), ("import", text["List.Import"], false), ("delete", text["List.Delete"], true)]
                    : [];
                PageShown = page.Page;
                // The imported mark: which of the page's messages the system holds, by the folder's UIDVALIDITY.
                var imported = await ImportedMail.ImportedUidsAsync(session, Active.Id, Folder, page.UidValidity, [.. page.Rows.Select(r => r.Id)], cancellationToken);
                List = Render(page.Rows.Select(r => (Active, Folder, r)), page.Page, page.PageCount, merged: false, applied, sent || Folder == Active.SentFolder,
                    imported, page.UidValidity);
            }

            return Page();
        }

        // Together: the newest page × size of each inbox, merged by date, then the page asked for. The page number is
        // bounded first (a number past the end would otherwise ask every server for the whole folder, or overflow).
        var deepest = Math.Max(1, MergedDepth / pageSize);
        var asked = Math.Clamp(pageNumber, 1, deepest);
        var merged = new List<(Account Account, string Folder, MessageRow Row)>();
        var total = 0;
        var problems = new List<(Guid Account, string Problem)>();
        foreach (var selected in Selected)
        {
            var read = await ReadAsync(selected, null, 1, asked * pageSize, ListOrder.Newest, settings, cancellationToken);
            if (read.Problem is { } problem)
            {
                problems.Add((selected.Id, $"{selected.Title}: {problem}"));
            }

            total += read.Page?.Total ?? 0;
            merged.AddRange(read.Page?.Rows.Select(r => (selected, read.Folder, r)) ?? []);
        }

        var pageCount = Math.Min(deepest, Math.Max(1, (total + pageSize - 1) / pageSize));
        if (pageNumber > deepest && total > deepest * pageSize)
        {
            problems.Add((Guid.Empty, string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Client.MergedDepth"].Value, MergedDepth)));
        }

        var reconnecting = await ReconnectsAsync(problems.Count > 0, cancellationToken);
        var shown = problems.Where(p => !reconnecting.Contains(p.Account)).Select(p => p.Problem).ToArray();
        Problem = shown.Length == 0 ? null : string.Join(" ", shown);
        var current = Math.Clamp(asked, 1, pageCount);
        List = Render(merged.OrderByDescending(m => m.Row.Date).Skip((current - 1) * pageSize).Take(pageSize), current, pageCount, merged: true, ListOrder.Newest, false);
        return Page();
    }

    /// <summary>The day a preset starts, as <see cref="SearchForm.Parse"/> counted it, so the shown form keeps the preset.</summary>
    private static DateOnly? Preset(SearchForm form, MailCriteria criteria) => form.Date.Length > 0 ? criteria.Since : null;

    /// <summary>
    /// The search's page: one folder's own search, or many folders and accounts searched in parallel and merged newest
    /// first (<see cref="LiveSearch"/>); the folder list beside it as usual. The accounts of "all my accounts" are those
    /// the page lists, which the one access rule chose (their own, and group accounts they may use).
    /// </summary>
    private async Task SearchAsync(
        MailCriteria criteria, SearchScope scope, SearchForm form, string folder, int pageNumber, int pageSize, Domain.Settings.MailSettings settings,
        CancellationToken cancellationToken)
    {
        Searching = true;
        Folder = folder;
        var active = Active!;
        var folders = await mail.FoldersAsync(session, active, settings.VisibleFoldersOf(active.Id), cancellationToken);
        Folders = folders.Value ?? [];
        var page = Math.Clamp(pageNumber, 1, Math.Max(1, MergedDepth / pageSize));
        var results = scope == SearchScope.Folder
            ? await search.SearchFolderAsync(session, active, folder, criteria, page, pageSize, cancellationToken)
            : await search.SearchAsync(session, Targets(scope, active, folder, settings), criteria, page, pageSize, cancellationToken);
        NotSearched = [.. results.Problems.Select(p => NotSearchedLine(p, scope))];
        Found = string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Search.Found"].Value, results.Total);
        List = Results(results.Rows, results.Page, results.PageCount, scope, SearchPages(form, folder));
    }

    /// <summary>
    /// <c>GET /Email?handler=Stream&amp;account=…&amp;folder=…&amp;</c>(the search's own query): the search over several
    /// folders as server-sent events, each folder's answer as it comes, for live-search.js on the page that answered
    /// at once (<see cref="Streamed"/>). <c>progress</c> carries the status, the first page's rows so far (through the
    /// list's own row template, MessageRows.scriban, only when they changed) and the folders newly not searched;
    /// <c>done</c> the list as the page renders it once every folder answered (total, pager) and the last of those notes.
    /// It checks what the page checks: the account by the one access rule (so "all my accounts" are the page's), the
    /// query, the reads a minute; it only reads, so a GET without an anti-forgery token is safe. A browser that goes
    /// away cancels the search (the request's token reaches every folder's work).
    /// </summary>
    public async Task<IActionResult> OnGetStreamAsync(Guid account, string? folder, [FromQuery(Name = "p")] int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken);
        Active = Accounts.FirstOrDefault(a => a.Id == account);
        if (Active is null)
        {
            return NotFound();
        }

        Selected = [Active];
        var form = SearchForm.Read(Request.Query);
        var searched = form.IsSearch ? form.Parse(Today(), LiveScopes) : null;
        // Only what the page streams: an invalid query, one folder or a later page is the page's to say or render.
        if (searched is not { Criteria: { } criteria } || !Streams(searched.Scope, pageNumber))
        {
            return BadRequest();
        }

        if (!reads.TryAcquire(User.Id()))
        {
            return StatusCode(StatusCodes.Status429TooManyRequests);
        }

        var settings = await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken);
        Searching = true;
        Folder = folder ?? "INBOX";
        Box = new SearchBox(Shown(form, searched), "/Email", LiveScopes);
        var scope = searched.Scope;
        Response.ContentType = "text/event-stream";
        Response.Headers.CacheControl = "no-store";
        HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        string? sent = null;
        await foreach (var progress in search.SearchAsTheyAnswerAsync(session, Targets(scope, Active, Folder, settings), criteria, 1, settings.PageSize, cancellationToken))
        {
            var problems = progress.Problems.Select(p => NotSearchedLine(p, scope)).ToArray();
            if (progress.Results is { } results)
            {
                await SendAsync("done", new
                {
                    status = string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Search.Found"].Value, results.Total),
                    total = results.Total,
                    list = Results(results.Rows, results.Page, results.PageCount, scope, SearchPages(form, Folder)).ToString(),
                    problems,
                }, cancellationToken);
                break;
            }

            var rows = RowsOf(SearchView(progress.Rows, 1, 1, scope, _ => "", live: true));
            await SendAsync("progress", new
            {
                status = Progress(progress.Folders, progress.Answered),
                folders = progress.Folders,
                answered = progress.Answered,
                rows = rows == sent ? null : rows,
                problems,
            }, cancellationToken);
            sent = rows;
        }

        return new EmptyResult();
    }

    /// <summary>One server-sent event: its name and one line of JSON, flushed so that the browser has it now.</summary>
    private async Task SendAsync(string name, object data, CancellationToken cancellationToken)
    {
        await Response.WriteAsync($"event: {name}\ndata: {System.Text.Json.JsonSerializer.Serialize(data)}\n\n", cancellationToken);
        await Response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>The form as the box shows it (and as its links carry it): what the box said, in the form's fields.</summary>
    private static SearchForm Shown(SearchForm form, SearchRequest? searched) =>
        searched?.Criteria is { } said ? SearchForm.For(said, searched.Scope, form.Date, Preset(form, said)) with { In = "any" } : form;

    /// <summary>The reader's today, for the date presets.</summary>
    private static DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, ReaderZone.Current).DateTime);

    /// <summary>
    /// Whether a script-running browser gets the search's first page as it comes (<see cref="OnGetStreamAsync"/>): a scope
    /// of several folders, page 1. One folder answers once anyway, and a later page is a merge of the whole first pages
    /// of every folder, which is only known once all of them answered: those keep the page rendered once.
    /// </summary>
    private static bool Streams(SearchScope scope, int pageNumber) => scope is not SearchScope.Folder && pageNumber <= 1;

    /// <summary>
    /// The folders a scope of several searches: the folder and its subfolders, every folder of the account, or every
    /// account the page lists, which the one access rule chose (their own, and group accounts they may use).
    /// </summary>
    private IReadOnlyList<LiveTarget> Targets(SearchScope scope, Account active, string folder, Domain.Settings.MailSettings settings) => scope switch
    {
        SearchScope.Subfolders => [new LiveTarget(active, folder, Subfolders: true)],
        SearchScope.Account => [new LiveTarget(active, null, Visible: settings.VisibleFoldersOf(active.Id))],
        _ => [.. Accounts.Select(a => new LiveTarget(a, null, Visible: settings.VisibleFoldersOf(a.Id)))],
    };

    /// <summary>A folder not searched, and why, in the reader's language; an account whose folders could not be listed by its name alone.</summary>
    private string NotSearchedLine(FolderProblem problem, SearchScope scope)
    {
        var account = Accounts.FirstOrDefault(a => a.Id == problem.AccountId) ?? Active!;
        var where = problem.Folder.Length == 0 ? problem.Account
            : (scope == SearchScope.AllAccounts ? problem.Account + " / " : "") + FolderNames.Display(problem.Folder, account, text);
        return $"{where}: " + string.Format(System.Globalization.CultureInfo.CurrentCulture, text[problem.Code].Value, problem.Detail);
    }

    /// <summary>"Searching 7 folders… 3 answered", in the reader's language.</summary>
    private string Progress(int folders, int answered) =>
        string.Format(System.Globalization.CultureInfo.CurrentCulture, text.Plural("Search.Searching", folders), folders, answered);

    /// <summary>The address of a page of the search: the same query, so paging keeps it.</summary>
    private Func<int, string> SearchPages(SearchForm form, string folder)
    {
        var query = (Box?.Form ?? form).QueryString();
        var active = Active!;
        return p => $"/Email?account={active.Id}&folder={Uri.EscapeDataString(folder)}&{query}" + (p > 1 ? $"&p={p}" : "");
    }

    /// <summary>The results as the list shows them: each row with its folder (and account) when the scope spans several.</summary>
    private IHtmlContent Results(IReadOnlyList<LiveRow> rows, int page, int pageCount, SearchScope scope, Func<int, string> pages, bool live = false) =>
        RenderList(SearchView(rows, page, pageCount, scope, pages, live));

    private MessageListView SearchView(IReadOnlyList<LiveRow> rows, int page, int pageCount, SearchScope scope, Func<int, string> pages, bool live)
    {
        var several = scope != SearchScope.Folder;
        return ListView(Listed(rows), page, pageCount, several, ListOrder.Newest, false, null, 0, pages, showFolder: several,
            showAccount: scope == SearchScope.AllAccounts, live);
    }

    private IEnumerable<(Account Account, string Folder, MessageRow Row)> Listed(IReadOnlyList<LiveRow> rows)
    {
        var byId = Accounts.ToDictionary(a => a.Id);
        return rows.Select(r => (byId.GetValueOrDefault(r.AccountId) ?? Active!, r.Folder, r.Row));
    }

    public string AccountsParameter => string.Join(',', Selected.Select(a => a.Id));

    /// <summary>One account's list; with <paramref name="quota"/> also its quota, read after the page in the same session.</summary>
    /// <summary>
    /// The banners of the accounts shown that need reconnecting, read again after a failed read (the read itself may
    /// have just found the provider refusing); the ids they cover, whose read problem the banner replaces.
    /// </summary>
    private async Task<IReadOnlySet<Guid>> ReconnectsAsync(bool readFailed, CancellationToken cancellationToken)
    {
        var accounts = readFailed && Selected.Any(a => a.Authorisation is not null)
            ? [.. await session.LoadManyAsync<Account>(cancellationToken, Selected.Select(a => a.Id))]
            : Selected;
        if (!accounts.Any(a => a.NeedsReconnecting))
        {
            return new HashSet<Guid>();
        }

        var configurable = (await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Configure, cancellationToken)).Select(a => a.Id).ToHashSet();
        Reconnects = await Settings.Accounts.ReconnectBanner.ForAsync(session, text, accounts, configurable, cancellationToken);
        return Reconnects.Select(r => r.AccountId).ToHashSet();
    }

    private async Task<(IReadOnlyList<FolderView> Folders, string Folder, MessagePage? Page, string? Problem, MailboxQuota? Quota)> ReadAsync(
        Account account, string? folder, int page, int pageSize, ListOrder order, Domain.Settings.MailSettings settings, CancellationToken cancellationToken,
        bool quota = false)
    {
        var visible = settings.VisibleFoldersOf(account.Id);
        if (quota)
        {
            var quoted = await mail.ListingWithQuotaAsync(session, account, visible, folder, page, pageSize, order, cancellationToken);
            return quoted.Succeeded
                ? (quoted.Value!.Listing.Folders, quoted.Value.Listing.Folder, quoted.Value.Listing.Page, null, quoted.Value.Quota)
                : ([], folder ?? "INBOX", null, text.MailProblem(quoted), null);
        }

        var work = await mail.ListingAsync(session, account, visible, folder, page, pageSize, order, cancellationToken);
        return work.Succeeded
            ? (work.Value!.Folders, work.Value.Folder, work.Value.Page, null, null)
            : ([], folder ?? "INBOX", null, text.MailProblem(work), null);
    }

    private IHtmlContent Render(
        IEnumerable<(Account Account, string Folder, MessageRow Row)> listed, int page, int pageCount, bool merged, ListOrder order, bool sentFolder,
        IReadOnlySet<string>? imported = null, uint uidValidity = 0, Func<int, string>? pageUrl = null, bool showFolder = false, bool? showAccount = null,
        bool live = false) =>
        RenderList(ListView(listed, page, pageCount, merged, order, sentFolder, imported, uidValidity, pageUrl, showFolder, showAccount, live));

    /// <summary>The list: its rows through the rows template, put in the table by the list's.</summary>
    private IHtmlContent RenderList(MessageListView view)
    {
        view.RowsHtml = new TrustedHtml(RowsOf(view));
        return templates.View("MessageList", text, view, ListWords);
    }

    private string RowsOf(MessageListView view) => templates.View("MessageRows", text, view, ListWords).Value ?? "";

    /// <summary>The words of the list and of its rows.</summary>
    private static readonly string[] ListWords =
    [
        "Search.Folder", "Search.NothingFound", "Client.Account", "Client.From", "Client.Subject", "Client.Date", "Client.Size", "Client.Empty", "Client.Attachment",
        "Client.Previous", "Client.Next", "Client.Pages", "List.Select", "List.Flagged", "List.FlagOne", "List.UnflagOne", "Client.To",
        "List.Imported", "List.ImportedTitle",
    ];

    /// <summary>
    /// What MessageList.scriban shows, and MessageRows.scriban of it: the list renders its rows through the rows template,
    /// and the live search's stream renders the rows it sends through the same one (<see cref="OnGetStreamAsync"/>).
    /// </summary>
    public sealed class MessageListView
    {
        public required bool Merged { get; init; }

        public required bool ShowAccount { get; init; }

        public required bool ShowFolder { get; init; }

        public required bool Searching { get; init; }

        public required bool Actions { get; init; }

        public required bool Threaded { get; init; }

        public required bool Sent { get; init; }

        /// <summary>The table with no rows yet and no pager: the results of a live search come into it (see <see cref="Streamed"/>).</summary>
        public required bool Live { get; init; }

        public required string MarksUrl { get; init; }

        public required object[] Columns { get; init; }

        public required object[] Rows { get; init; }

        public required object[] Pages { get; init; }

        public required string Previous { get; init; }

        public required string Next { get; init; }

        public TrustedHtml RowsHtml { get; set; } = new("");
    }

    private MessageListView ListView(
        IEnumerable<(Account Account, string Folder, MessageRow Row)> listed, int page, int pageCount, bool merged, ListOrder order, bool sentFolder,
        IReadOnlySet<string>? imported, uint uidValidity, Func<int, string>? pageUrl, bool showFolder, bool? showAccount, bool live)
    {
        var rows = listed.ToArray();
        pageUrl ??= p => PageUrl(p, merged);
        return new MessageListView
        {
            Merged = merged,
            ShowAccount = showAccount ?? merged,
            ShowFolder = showFolder,
            Searching = Searching,
            Actions = !merged && BulkActions.Count > 0,
            Threaded = order.Threaded,
            Sent = sentFolder,
            Live = live,
            // Where import-marks.js asks which rows are imported now (the UIDs added by the script); empty for several accounts.
            MarksUrl = merged ? "" : $"/Email?handler=Imported&account={Active!.Id}&folder={Uri.EscapeDataString(Folder)}&validity={uidValidity}",
            Columns = merged ? [] : Columns(order, sentFolder),
            Rows = rows.Select((m, index) => (object)new
            {
                Account = m.Account.Title,
                AccountId = m.Account.Id.ToString(),
                m.Folder,
                Uid = m.Row.Id,
                From = sentFolder && !merged ? m.Row.To : m.Row.From,
                m.Row.Depth,
                HasReplies = index + 1 < rows.Length && rows[index + 1].Row.Depth > m.Row.Depth,
                Subject = m.Row.Subject.Length == 0 ? text["Client.NoSubject"].Value : m.Row.Subject,
                Date = m.Row.Date.Short(),
                DateFull = m.Row.Date.Display(),
                DateIso = m.Row.Date.Iso(),
                Size = text.Size(m.Row.Size),
                m.Row.Seen,
                m.Row.Flagged,
                m.Row.HasAttachments,
                Imported = imported?.Contains(m.Row.Id) == true,
                m.Row.Preview,
                FolderName = FolderNames.Display(m.Folder, m.Account, text),
                Url = $"/Email/Message?account={m.Account.Id}&folder={Uri.EscapeDataString(m.Folder)}&uid={Uri.EscapeDataString(m.Row.Id)}",
            }).ToArray(),
            Pages = [.. PageNumbers(page, pageCount).Select(p => (object)new { Number = p, Url = pageUrl(p), Current = p == page })],
            Previous = page > 1 ? pageUrl(page - 1) : "",
            Next = page < pageCount ? pageUrl(page + 1) : "",
        };
    }

    /// <summary>The sortable headers: a link that sorts by the column, the other way when it is the column sorted by now.</summary>
    private object[] Columns(ListOrder order, bool sentFolder) =>
    [
        .. new[] { (ListSort.From, sentFolder ? "Client.To" : "Client.From", "from"), (ListSort.Subject, "Client.Subject", "subject"),
            (ListSort.Date, "Client.Date", "date"), (ListSort.Size, "Client.Size", "size") }
            .Select(c => new
            {
                Key = c.Item3,
                Label = text[c.Item2].Value,
                AriaSort = c.Item1 != order.Sort ? "none" : order.Descending ? "descending" : "ascending",
                Url = $"/Email?account={Active!.Id}&folder={Uri.EscapeDataString(Folder)}&sort={c.Item3}&dir="
                    + (c.Item1 == order.Sort ? (order.Descending ? "asc" : "desc") : (c.Item1 is ListSort.Date or ListSort.Size ? "desc" : "asc")),
            }),
    ];

    /// <summary>
    /// The bulk toolbar's one form: read, unread, flag, unflag, move and delete on the chosen UIDs, one IMAP command each;
    /// "flag-one:UID" and "unflag-one:UID" from a row's flag mark; "undo" moves what was just moved back. Delete moves to
    /// the account's Trash; in the Trash it deletes for good once confirmed.
    /// </summary>
    public async Task<IActionResult> OnPostBulkAsync(
        Guid account, string? folder, string? act, [FromForm(Name = "uids")] uint[]? uids, string? target, bool confirmed, CancellationToken cancellationToken,
        [FromForm(Name = "p")] int pageNumber = 1)
    {
        if (act == "import")
        {
            return await ImportAsync(account, folder, uids, pageNumber, cancellationToken);
        }

        var owned = await AccountQueries.FindAsync(session, account, User.Actor(), AccountUse.Use, cancellationToken);
        if (owned is null)
        {
            return NotFound();
        }

        // A form always names the folder and the action; a post without them was not made by the page.
        if (string.IsNullOrEmpty(folder) || string.IsNullOrEmpty(act))
        {
            return BadRequest();
        }

        var back = $"/Email?account={account}&folder={Uri.EscapeDataString(folder)}";
        var chosen = (uids ?? []).Where(u => u != 0).Distinct().ToList();
        if (act.Split(':') is [var one and ("flag-one" or "unflag-one"), var single] && uint.TryParse(single, out var uid))
        {
            (act, chosen) = (one == "flag-one" ? "flag" : "unflag", [uid]);
        }

        if (owned.Incoming?.Protocol != IncomingProtocol.Imap)
        {
            return BadRequest();
        }

        if (chosen.Count == 0)
        {
            TempData[ListNotice.TextKey] = text["List.NothingChosen"].Value;
            return LocalRedirect(back);
        }

        if (!reads.TryAcquire(User.Id()))
        {
            TempData[ListNotice.TextKey] = text["Mail.TooManyReads"].Value;
            return LocalRedirect(back);
        }

        var count = chosen.Count;
        string Say(string key, string? where = null) =>
            string.Format(System.Globalization.CultureInfo.CurrentCulture, text[count == 1 ? key + ".One" : key + ".Many"].Value, count, where);

        switch (act)
        {
            case "read" or "unread" or "flag" or "unflag":
                var flag = act is "read" or "unread" ? MailFlag.Seen : MailFlag.Flagged;
                var marked = await mail.SetFlagsAsync(session, owned, folder, chosen, flag, act is "read" or "flag", cancellationToken);
                TempData[ListNotice.TextKey] = marked.Succeeded ? Say("List.Did." + act) : text.MailProblem(marked);
                break;
            case "move" or "undo" when !string.IsNullOrWhiteSpace(target) && target != folder:
                var moved = await mail.MoveAsync(session, owned, folder, chosen, target, cancellationToken);
                TempData[ListNotice.TextKey] = moved.Succeeded ? Say(act == "undo" ? "List.Restored" : "List.Moved", FolderNames.Display(target, owned, text)) : text.MailProblem(moved);
                break;
            case "delete" when folder == owned.TrashFolder && !confirmed:
                TempData[ListNotice.TextKey] = Say("List.ConfirmDelete");
                TempData[ListNotice.ConfirmKey] = string.Join(',', chosen);
                break;
            case "delete" when folder == owned.TrashFolder:
                var deleted = await mail.DeleteAsync(session, owned, folder, chosen, cancellationToken);
                TempData[ListNotice.TextKey] = deleted.Succeeded ? Say("List.DeletedForGood") : text.MailProblem(deleted);
                break;
            case "delete" when owned.TrashFolder is null:
                TempData[ListNotice.TextKey] = text["Client.NoTrash"].Value;
                break;
            case "delete":
                var trashed = await mail.MoveAsync(session, owned, folder, chosen, owned.TrashFolder!, cancellationToken);
                TempData[ListNotice.TextKey] = trashed.Succeeded ? Say("List.Deleted") : text.MailProblem(trashed);
                if (trashed.Value is { NewUids.Count: > 0 } into)
                {
                    TempData[ListNotice.UndoKey] = into.Target + "|" + folder + "|" + string.Join(',', into.NewUids);
                }

                break;
            default:
                TempData[ListNotice.TextKey] = text["List.NothingChosen"].Value;
                break;
        }

        // Undo shows the folder the messages went back to, not the Trash they left.
        return LocalRedirect(act == "undo" && !string.IsNullOrWhiteSpace(target) ? $"/Email?account={account}&folder={Uri.EscapeDataString(target)}" : back);
    }

    /// <summary>The TempData key of the UIDs an Import just asked for (comma-separated).</summary>
    public const string ImportingKey = "ListImporting";

    /// <summary>
    /// Import: the chosen UIDs of the folder shown, queued by <see cref="ImportMessages"/> (which also refuses an account
    /// the user may not use); back to the same page of the list (its sort is the saved one) with what was done.
    /// POP3 lists have no toolbar: their UIDLs are not numbers, and the command takes UIDs.
    /// </summary>
    private async Task<IActionResult> ImportAsync(Guid account, string? folder, uint[]? uids, int pageNumber, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(folder))
        {
            return BadRequest();
        }

        var back = $"/Email?account={account}&folder={Uri.EscapeDataString(folder)}" + (pageNumber > 1 ? $"&p={pageNumber}" : "");
        var chosen = (uids ?? []).Where(u => u != 0).Distinct().ToList();
        if (chosen.Count == 0)
        {
            TempData[ListNotice.TextKey] = text["List.NothingChosen"].Value;
            return LocalRedirect(back);
        }

        // The import signs in to the server for the page: it counts as one of the user's reads of the minute.
        if (!reads.TryAcquire(User.Id()))
        {
            TempData[ListNotice.TextKey] = text["Mail.TooManyReads"].Value;
            return LocalRedirect(back);
        }

        var outcome = await commands.InvokeAsync(new ImportMessages(User.Actor(), account, folder, chosen), cancellationToken);
        if (!outcome.Succeeded)
        {
            TempData[ListNotice.TextKey] = string.Join(" ", outcome.Violations.Select(v => text[v.Code].Value));
            // A refused account has no list to go back to: the client's first one.
            return LocalRedirect(outcome.Violations.Any(v => v.Code == AccountViolations.Unknown) ? "/Email" : back);
        }

        TempData[ListNotice.TextKey] = string.Format(
            System.Globalization.CultureInfo.CurrentCulture, text[chosen.Count == 1 ? "List.Did.import.One" : "List.Did.import.Many"].Value, chosen.Count);
        TempData[ImportingKey] = string.Join(',', chosen);
        return LocalRedirect(back);
    }

    /// <summary>
    /// The imported marks of some UIDs of a folder, as JSON ({"imported":["12","14"]}): import-marks.js asks every 2 s
    /// after an Import until the messages show as imported. An account the user may not use answers 404.
    /// </summary>
    public async Task<IActionResult> OnGetImportedAsync(
        Guid account, string? folder, uint validity, [FromQuery(Name = "uids")] string? uids, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(folder) || await AccountQueries.FindAsync(session, account, User.Actor(), AccountUse.Use, cancellationToken) is null)
        {
            return NotFound();
        }

        // A page has a few hundred rows at most: more is not a page's question.
        var asked = (uids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).Take(1000).ToArray();
        var found = await ImportedMail.ImportedUidsAsync(session, account, folder, validity, asked, cancellationToken);
        return new JsonResult(new { imported = asked.Where(found.Contains).ToArray() });
    }

    private string PageUrl(int page, bool merged) => merged
        ? $"/Email?accounts={AccountsParameter}&p={page}"
        : $"/Email?account={Active!.Id}&folder={Uri.EscapeDataString(Folder)}&p={page}";

    /// <summary>The first and last page and those around the current one: a folder of 100,000 messages has 2,000 pages.</summary>
    private static IEnumerable<int> PageNumbers(int page, int count) =>
        new[] { 1, count }.Concat(Enumerable.Range(page - 3, 7)).Where(p => p >= 1 && p <= count).Distinct().Order();
}

/// <summary>
/// The notice a list action leaves for the next view of the list: what it did, and the messages an Undo moves back
/// (from the Trash to where they were, by the UIDs the Trash gave them) or a delete for good waits to be confirmed for.
/// </summary>
public sealed record ListNotice(string Text, string? UndoFrom, string? UndoTo, string? UndoUids, string? ConfirmUids)
{
    public const string TextKey = "ListNotice";
    public const string UndoKey = "ListUndo";
    public const string ConfirmKey = "ListConfirm";

    public static ListNotice? From(Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataDictionary data)
    {
        if (data[TextKey] is not string said)
        {
            return null;
        }

        var undo = (data[UndoKey] as string)?.Split('|');
        return new ListNotice(said, undo?.ElementAtOrDefault(0), undo?.ElementAtOrDefault(1), undo?.ElementAtOrDefault(2), data[ConfirmKey] as string);
    }

    public IEnumerable<string> Uids(string? list) => (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
}
