using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
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
    IQuerySession session, IMessageBus bus, MailClient mail, MailTestLimiter limiter, MailReadLimiter reads, TemplateRenderer templates,
    IStringLocalizer<SharedResource> text)
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

    public string Folder { get; private set; } = "INBOX";

    public IHtmlContent List { get; private set; } = HtmlString.Empty;

    public string? Problem { get; private set; }

    /// <summary>Messages the server did not take, waiting in the Not sent list.</summary>
    public int NotSent { get; private set; }

    public async Task<IActionResult> OnGetAsync(
        Guid? account, string? accounts, string? folder, [FromQuery(Name = "p")] int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken);
        NotSent = await OutgoingMailQueries.NotSentCountAsync(session, User.Id(), cancellationToken);
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

        if (Selected.Count == 1)
        {
            var read = await ReadAsync(Active, folder, pageNumber, pageSize, settings, cancellationToken);
            (Folders, Folder, Problem) = (read.Folders, read.Folder, read.Problem);
            if (read.Page is { } page)
            {
                List = Render(page.Rows.Select(r => (Active, Folder, r)), page.Page, page.PageCount, merged: false);
            }

            return Page();
        }

        // Together: the newest page × size of each inbox, merged by date, then the page asked for. The page number is
        // bounded first (a number past the end would otherwise ask every server for the whole folder, or overflow).
        var deepest = Math.Max(1, MergedDepth / pageSize);
        var asked = Math.Clamp(pageNumber, 1, deepest);
        var merged = new List<(Account Account, string Folder, MessageRow Row)>();
        var total = 0;
        var problems = new List<string>();
        foreach (var selected in Selected)
        {
            var read = await ReadAsync(selected, null, 1, asked * pageSize, settings, cancellationToken);
            if (read.Problem is { } problem)
            {
                problems.Add($"{selected.Title}: {problem}");
            }

            total += read.Page?.Total ?? 0;
            merged.AddRange(read.Page?.Rows.Select(r => (selected, read.Folder, r)) ?? []);
        }

        var pageCount = Math.Min(deepest, Math.Max(1, (total + pageSize - 1) / pageSize));
        if (pageNumber > deepest && total > deepest * pageSize)
        {
            problems.Add(string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Client.MergedDepth"].Value, MergedDepth));
        }

        Problem = problems.Count == 0 ? null : string.Join(" ", problems);
        var current = Math.Clamp(asked, 1, pageCount);
        List = Render(merged.OrderByDescending(m => m.Row.Date).Skip((current - 1) * pageSize).Take(pageSize), current, pageCount, merged: true);
        return Page();
    }

    public string AccountsParameter => string.Join(',', Selected.Select(a => a.Id));

    private async Task<(IReadOnlyList<FolderView> Folders, string Folder, MessagePage? Page, string? Problem)> ReadAsync(
        Account account, string? folder, int page, int pageSize, Domain.Settings.MailSettings settings, CancellationToken cancellationToken)
    {
        var work = await mail.ListingAsync(session, account, settings.VisibleFoldersOf(account.Id), folder, page, pageSize, cancellationToken);
        return work.Succeeded
            ? (work.Value!.Folders, work.Value.Folder, work.Value.Page, null)
            : ([], folder ?? "INBOX", null, text.MailProblem(work));
    }

    private IHtmlContent Render(IEnumerable<(Account Account, string Folder, MessageRow Row)> rows, int page, int pageCount, bool merged) =>
        templates.View("MessageList", text, new
        {
            Merged = merged,
            Rows = rows.Select(m => new
            {
                Account = m.Account.Title,
                m.Row.From,
                Subject = m.Row.Subject.Length == 0 ? text["Client.NoSubject"].Value : m.Row.Subject,
                Date = m.Row.Date.Display(),
                Size = Size(m.Row.Size),
                m.Row.Seen,
                m.Row.Flagged,
                m.Row.HasAttachments,
                m.Row.Preview,
                Url = $"/Email/Message?account={m.Account.Id}&folder={Uri.EscapeDataString(m.Folder)}&uid={Uri.EscapeDataString(m.Row.Id)}",
            }).ToArray(),
            Pages = PageNumbers(page, pageCount).Select(p => new { Number = p, Url = PageUrl(p, merged), Current = p == page }).ToArray(),
            Previous = page > 1 ? PageUrl(page - 1, merged) : "",
            Next = page < pageCount ? PageUrl(page + 1, merged) : "",
        },
            "Client.Account", "Client.From", "Client.Subject", "Client.Date", "Client.Size", "Client.Empty", "Client.Attachment",
            "Client.Previous", "Client.Next", "Client.Pages");

    private string PageUrl(int page, bool merged) => merged
        ? $"/Email?accounts={AccountsParameter}&p={page}"
        : $"/Email?account={Active!.Id}&folder={Uri.EscapeDataString(Folder)}&p={page}";

    /// <summary>The first and last page and those around the current one: a folder of 100,000 messages has 2,000 pages.</summary>
    private static IEnumerable<int> PageNumbers(int page, int count) =>
        new[] { 1, count }.Concat(Enumerable.Range(page - 3, 7)).Where(p => p >= 1 && p <= count).Distinct().Order();

    private static string Size(uint bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.#} MB",
    };
}
