using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.Rendering;
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

    public async Task<IActionResult> OnGetAsync(Guid? account, [FromQuery(Name = "p")] int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        Notice = TempData[NoticeKey] as string;
        Accounts = await ImportedMail.AccountsAsync(session, User.Actor(), cancellationToken);
        if (account is { } chosen && Accounts.All(a => a.Id != chosen))
        {
            return this.NotFoundPage(Missing.InEmail(Missing.Account));
        }

        Account = account;
        var pageSize = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).PageSize;
        var page = await ImportedMail.PageAsync(session, User.Actor(), pageNumber, pageSize, cancellationToken, account);
        Failed = (await ImportedMail.QuarantinedAsync(session, User.Actor(), cancellationToken)).Count;
        var titles = Accounts.ToDictionary(a => a.Id, a => a.Title);
        List = templates.View("ImportedList", text, new
        {
            Rows = page.Letters.Select(l => new
            {
                Id = l.Id.ToString(),
                From = l.Headers.From,
                Subject = l.Headers.Subject.Length == 0 ? text["Client.NoSubject"].Value : l.Headers.Subject,
                Date = l.Sorted.Short(),
                DateFull = l.Sorted.Display(),
                DateIso = l.Sorted.Iso(),
                HasAttachments = l.Attachments.Count > 0,
                // Only the accounts the reader may use: a letter also found in someone else's mailbox does not name it.
                Accounts = string.Join(", ", l.AccountIds.Where(titles.ContainsKey).Select(a => titles[a]).Distinct()),
                Url = $"/Email/Imported/Letter?id={l.Id}",
            }).ToArray(),
            Pages = PageNumbers(page.Page, page.PageCount).Select(p => new { Number = p, Url = PageUrl(p), Current = p == page.Page }).ToArray(),
            Previous = page.Page > 1 ? PageUrl(page.Page - 1) : "",
            Next = page.Page < page.PageCount ? PageUrl(page.Page + 1) : "",
        },
            "Client.From", "Client.Subject", "Client.Date", "Imported.FoundIn", "Imported.Empty", "Client.Attachment", "Client.Previous", "Client.Next",
            "Client.Pages");
        return Page();
    }

    public const string NoticeKey = "ImportedNotice";

    private string PageUrl(int page) => $"/Email/Imported?{(Account is { } a ? $"account={a}&" : "")}p={page}";

    /// <summary>The first and last page and those around the current one, as the live list numbers them.</summary>
    private static IEnumerable<int> PageNumbers(int page, int count) =>
        new[] { 1, count }.Concat(Enumerable.Range(page - 3, 7)).Where(p => p >= 1 && p <= count).Distinct().Order();
}
