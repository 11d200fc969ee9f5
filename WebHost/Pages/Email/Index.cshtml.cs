using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email;

/// <summary>
/// Communication » E-mail: the accounts on the left (the active one in bold), its folders with unread counts,
/// and one page of the folder's messages, read live from the server and stored nowhere.
/// </summary>
public sealed class IndexModel(IQuerySession session, MailReader reader, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    public Account? Active { get; private set; }

    public IReadOnlyList<FolderView> Folders { get; private set; } = [];

    public string Folder { get; private set; } = "INBOX";

    public IHtmlContent List { get; private set; } = HtmlString.Empty;

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid? account, string? folder, [FromQuery(Name = "p")] int pageNumber = 1, CancellationToken cancellationToken = default)
    {
        Accounts = await AccountQueries.ListOwnedByAsync(session, User.Id(), cancellationToken);
        Active = account is null ? Accounts.FirstOrDefault() : Accounts.FirstOrDefault(a => a.Id == account);
        if (account is not null && Active is null)
        {
            return NotFound();
        }

        if (Active is null)
        {
            Problem = text["Accounts.Empty"];
            return Page();
        }

        var settings = await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken);
        var (client, report) = await reader.OpenAsync(session, Active, cancellationToken);
        if (client is null)
        {
            // The server's own words; the rest of the page keeps working.
            Problem = $"{text["Client.ServerError"]} {text["Stage." + report.Failure!.Stage]}: {report.Failure.Detail}";
            return Page();
        }

        using (client)
        {
            try
            {
                MessagePage messages;
                if (client is ImapClient imap)
                {
                    Folders = await MailReader.FoldersAsync(imap, settings.VisibleFoldersOf(Active.Id), cancellationToken);
                    Folder = folder ?? Folders.FirstOrDefault()?.FullName ?? "INBOX";
                    messages = await MailReader.PageAsync(imap, Folder, pageNumber, settings.PageSize, cancellationToken);
                }
                else
                {
                    // POP3 has one mailbox, and no read or unread marks to count.
                    messages = await MailReader.Pop3PageAsync((Pop3Client)client, pageNumber, settings.PageSize, cancellationToken);
                    Folders = [new FolderView("INBOX", "INBOX", 0, 0, messages.Total, null)];
                    Folder = "INBOX";
                }

                List = templates.View("MessageList", text, new
                {
                    Rows = messages.Rows.Select(r => new
                    {
                        r.From,
                        Subject = r.Subject.Length == 0 ? text["Client.NoSubject"].Value : r.Subject,
                        Date = r.Date.Display(),
                        Size = Size(r.Size),
                        r.Seen,
                        r.Flagged,
                        r.HasAttachments,
                        r.Preview,
                        Url = $"/Email/Message?account={Active.Id}&folder={Uri.EscapeDataString(Folder)}&uid={Uri.EscapeDataString(r.Id)}",
                    }).ToArray(),
                    messages.Page,
                    messages.PageCount,
                    messages.Total,
                    Pages = PageNumbers(messages.Page, messages.PageCount)
                        .Select(p => new { Number = p, Url = PageUrl(p), Current = p == messages.Page })
                        .ToArray(),
                    Previous = messages.Page > 1 ? PageUrl(messages.Page - 1) : "",
                    Next = messages.Page < messages.PageCount ? PageUrl(messages.Page + 1) : "",
                },
                    "Client.From", "Client.Subject", "Client.Date", "Client.Size", "Client.Empty", "Client.Attachment", "Client.Previous", "Client.Next", "Client.Pages");
            }
            catch (Exception e) when (e is FolderNotFoundException or CommandException or ProtocolException or IOException)
            {
                Problem = $"{text["Client.ServerError"]} {e.Message}";
            }
            finally
            {
                await IncomingTester.DisconnectQuietlyAsync(client);
            }
        }

        return Page();
    }

    private string PageUrl(int page) => $"/Email?account={Active!.Id}&folder={Uri.EscapeDataString(Folder)}&p={page}";

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
