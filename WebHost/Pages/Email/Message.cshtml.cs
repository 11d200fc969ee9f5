using MailAccounts.Domain.Accounts;
using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.Rendering;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email;

/// <summary>
/// One message, read live. The body is sanitised and shown in a sandboxed frame that may not run scripts, under a
/// Content-Security-Policy that lets nothing load from elsewhere until the user presses Show images.
/// </summary>
public sealed class MessageModel(
    IQuerySession session, MailClient mail, MailReadLimiter limiter, TemplateRenderer templates, IStringLocalizer<SharedResource> text,
    ReceivedFromLearner senders)
    : PageModel
{
    public string Subject { get; private set; } = "";

    public IHtmlContent Headers { get; private set; } = HtmlString.Empty;

    public string FrameDocument { get; private set; } = "";

    public bool RemoteContentBlocked { get; private set; }

    public string BackUrl { get; private set; } = "/Email";

    public string ShowImagesUrl { get; private set; } = "";

    public string? Problem { get; private set; }

    public Guid Account { get; private set; }

    public string Folder { get; private set; } = "";

    public string Uid { get; private set; } = "";

    public bool Seen { get; private set; }

    public bool Flagged { get; private set; }

    public IReadOnlyList<FolderView> Folders { get; private set; } = [];

    /// <summary>POP3 keeps neither flags nor folders, so its messages have no actions to offer.</summary>
    public bool IsPop3 { get; private set; }

    /// <summary>
    /// The reading pane asks for the same page without the layout (view=pane): one renderer, one frame and one set of
    /// safety rules for the message wherever it is read.
    /// </summary>
    public bool InPane { get; private set; }

    /// <summary>The full page of this message, which the pane offers to open.</summary>
    public string FullUrl { get; private set; } = "";

    /// <summary>The message above this one in the list as the user sorted it, and the one below it; null at the ends.</summary>
    public string? PreviousUid { get; private set; }

    public string? NextUid { get; private set; }

    public string MessageUrl(string uid) => $"/Email/Message?account={Account}&folder={Uri.EscapeDataString(Folder)}&uid={Uri.EscapeDataString(uid)}";

    public async Task<IActionResult> OnGetAsync(
        Guid account, string folder, string uid, bool images = false, string? view = null, CancellationToken cancellationToken = default)
    {
        InPane = view == "pane";
        var owned = await AccountQueries.FindAsync(session, account, User.Actor(), AccountUse.Use, cancellationToken);
        if (owned is null)
        {
            return this.NotFoundPage(Missing.InEmail(Missing.Account));
        }

        BackUrl = $"/Email?account={account}&folder={Uri.EscapeDataString(folder)}";
        (Account, Folder, Uid) = (account, folder, uid);
        FullUrl = MessageUrl(uid);
        IsPop3 = owned.Incoming?.Protocol == Domain.Accounts.IncomingProtocol.Pop3;
        if (!IsPop3 && !MissingResults.IsImapUid(uid))
        {
            return this.BadRequestPage(Missing.InFolder(Missing.Message, account, folder));
        }

        // Previous and next follow the list as the user sorted it (and threaded it), page by page as it shows.
        var order = (await ListPreferences.ForUserAsync(session, User.Id(), cancellationToken)).Order(folder == owned.SentFolder);
        var pageSize = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).PageSize;
        var loaded = await ReadAsync(ct => mail.MessageAsync(session, owned, folder, uid, images, order, pageSize, ct), cancellationToken);
        if (loaded is null)
        {
            return Problem is null ? this.NotFoundPage(Missing.InFolder(Missing.Message, account, folder)) : Page();
        }

        (Seen, Flagged, Folders) = (loaded.Seen, loaded.Flagged, loaded.Folders);
        // Someone the user reads mail from is offered when they write; handed over, written later in a batch.
        senders.Note(User.Id(), loaded.Senders ?? [], [owned.Address, owned.Outgoing?.Address ?? ""]);
        (PreviousUid, NextUid) = (loaded.Neighbours.Newer, loaded.Neighbours.Older);
        var body = loaded.Body;
        Subject = loaded.Subject;
        RemoteContentBlocked = body.RemoteContentBlocked;
        ShowImagesUrl = $"/Email/Message?account={account}&folder={Uri.EscapeDataString(folder)}&uid={uid}&images=true";
        var addresses = await MessageAddresses.ViewAsync(session, text, new Dictionary<string, IReadOnlyList<MimeKit.InternetAddress>>
        {
            ["From"] = MessageAddresses.Parse(loaded.From), ["To"] = MessageAddresses.Parse(loaded.To), ["Cc"] = MessageAddresses.Parse(loaded.Cc),
        }, [owned.Address, owned.Outgoing?.Address ?? ""], cancellationToken);
        Headers = templates.View("MessageHeaders", text, new
        {
            Subject = Subject.Length == 0 ? text["Client.NoSubject"].Value : Subject,
            // In the pane the list page's own h1 names the folder.
            InPane,
            From = addresses["From"],
            To = addresses["To"],
            Cc = addresses["Cc"],
            Date = loaded.Date.Display(),
            DateIso = loaded.Date.Iso(),
            Attachments = body.Attachments.Select(a => new
            {
                Name = a.FileName,
                Size = text.Size(a.Size),
                Url = $"/Email/Message?handler=Attachment&account={account}&folder={Uri.EscapeDataString(folder)}&uid={uid}&index={a.Index}",
            }).ToArray(),
        },
            MessageAddresses.Words);

        FrameDocument = MessageFrame.Document(body.Html, images);
        MessageFrame.Protect(Response, images);
        return Page();
    }

    /// <summary>Downloads one attachment, never to be shown inline: HTML, SVG or XML must not run in our origin.</summary>
    public async Task<IActionResult> OnGetAttachmentAsync(Guid account, string folder, string uid, int index, CancellationToken cancellationToken)
    {
        var owned = await AccountQueries.FindAsync(session, account, User.Actor(), AccountUse.Use, cancellationToken);
        if (owned is null)
        {
            return this.NotFoundPage(Missing.InEmail(Missing.Account));
        }

        var message = new Missing(Missing.Attachment, $"/Email/Message?account={account}&folder={Uri.EscapeDataString(folder)}&uid={Uri.EscapeDataString(uid)}",
            "NotFound.BackToMessage");
        if (owned.Incoming?.Protocol != Domain.Accounts.IncomingProtocol.Pop3 && !MissingResults.IsImapUid(uid))
        {
            return this.BadRequestPage(Missing.InFolder(Missing.Message, account, folder));
        }

        var attachment = await ReadAsync(ct => mail.AttachmentAsync(session, owned, folder, uid, index, ct), cancellationToken);
        if (Response.StatusCode == StatusCodes.Status429TooManyRequests)
        {
            return StatusCode(StatusCodes.Status429TooManyRequests, Problem ?? "");
        }

        if (attachment is null)
        {
            return Problem is null ? this.NotFoundPage(message) : StatusCode(StatusCodes.Status502BadGateway, Problem);
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return File(attachment.Content, "application/octet-stream", attachment.FileName);
    }

    /// <summary>Mark read or unread, flag or unflag.</summary>
    public async Task<IActionResult> OnPostFlagAsync(Guid account, string folder, string uid, string flag, bool set, CancellationToken cancellationToken)
    {
        MailFlag? which = flag switch { "seen" => MailFlag.Seen, "flagged" => MailFlag.Flagged, _ => null };
        if (which is not { } chosen)
        {
            return BadRequest();
        }

        return await ActAsync(account, uid, (owned, id, ct) => mail.SetFlagAsync(session, owned, folder, id, chosen, set, ct),
            $"/Email/Message?account={account}&folder={Uri.EscapeDataString(folder)}&uid={uid}", cancellationToken);
    }

    /// <summary>
    /// Delete moves the message to the account's Trash and the list then says so, with Undo (the Trash's new UID for it,
    /// as the list's own delete does); in the Trash it deletes for good once confirmed on the list. An account without a
    /// Trash is asked to choose it first.
    /// </summary>
    public async Task<IActionResult> OnPostDeleteAsync(Guid account, string folder, string uid, bool confirmed, CancellationToken cancellationToken)
    {
        var owned = await AccountQueries.FindAsync(session, account, User.Actor(), AccountUse.Use, cancellationToken);
        if (owned is null)
        {
            return NotFound();
        }

        if (owned.TrashFolder is not { } trash)
        {
            Problem = text["Client.NoTrash"];
            return Page();
        }

        if (folder == trash && !confirmed)
        {
            // Nothing to move back from: the list asks before the message is gone for good.
            TempData[ListNotice.TextKey] = Said("List.ConfirmDelete");
            TempData[ListNotice.ConfirmKey] = ImapUid(uid).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return LocalRedirect(ListUrl(account, folder));
        }

        if (folder == trash)
        {
            return await ActAsync(account, uid, (owned, id, ct) => mail.DeleteAsync(session, owned, folder, [id], ct),
                ListUrl(account, folder), cancellationToken, Said("List.DeletedForGood"));
        }

        return await MoveAsync(account, folder, uid, trash, "List.Deleted", cancellationToken);
    }

    public Task<IActionResult> OnPostMoveAsync(Guid account, string folder, string uid, string target, CancellationToken cancellationToken) =>
        MoveAsync(account, folder, uid, target, "List.Moved", cancellationToken);

    /// <summary>
    /// Moves the message and lands on its folder's list, whose notice says what became of it with Undo: the UID the
    /// target gave it (UIDPLUS) moves it back. A server that cannot say the new UID gets the notice alone.
    /// </summary>
    private async Task<IActionResult> MoveAsync(Guid account, string folder, string uid, string target, string said, CancellationToken cancellationToken)
    {
        Moved? moved = null;
        Domain.Accounts.Account? movedFrom = null;
        var result = await ActAsync(account, uid, async (owned, id, ct) =>
        {
            movedFrom = owned;
            var work = await mail.MoveAsync(session, owned, folder, [id], target, ct);
            moved = work.Value;
            return new MailWork<bool>(work.Succeeded, work.FailedStage, work.Problem, work.Failure);
        }, ListUrl(account, folder), cancellationToken, Said(said, target));
        if (result is LocalRedirectResult && moved is not null && movedFrom is not null)
        {
            TempData[ListNotice.TextKey] = Said(said, FolderNames.Display(target, movedFrom, text));
        }

        if (result is LocalRedirectResult && moved is { NewUids.Count: > 0 } into)
        {
            TempData[ListNotice.UndoKey] = into.Target + "|" + folder + "|" + string.Join(',', into.NewUids);
        }

        return result;
    }

    /// <summary>A list notice about this one message, in the words the list's bulk actions use.</summary>
    private string Said(string key, string? where = null) =>
        string.Format(System.Globalization.CultureInfo.CurrentCulture, text[key + ".One"].Value, 1, where);

    private static string ListUrl(Guid account, string folder) => $"/Email?account={account}&folder={Uri.EscapeDataString(folder)}";

    /// <summary>An IMAP UID from the address; anything else names no message, which the server then says.</summary>
    private static uint ImapUid(string uid) => uint.TryParse(uid, out var id) ? id : 0;

    private async Task<IActionResult> ActAsync(
        Guid account, string uid, Func<Domain.Accounts.Account, uint, CancellationToken, Task<MailWork<bool>>> action, string then, CancellationToken cancellationToken,
        string? done = null)
    {
        var owned = await AccountQueries.FindAsync(session, account, User.Actor(), AccountUse.Use, cancellationToken);
        if (owned is null)
        {
            return NotFound();
        }

        if (owned.Incoming?.Protocol != Domain.Accounts.IncomingProtocol.Imap)
        {
            // POP3 keeps neither flags nor folders: there is nothing to mark or move.
            return BadRequest();
        }

        if (!await ReadAsync(ct => action(owned, ImapUid(uid), ct), cancellationToken))
        {
            return Page();
        }

        // The message is gone from the page the person lands on: the list says what became of it.
        if (done is not null)
        {
            TempData[ListNotice.TextKey] = done;
        }

        return LocalRedirect(then);
    }

    /// <summary>The work's value; a server error becomes the page's message, never an error page.</summary>
    private async Task<T?> ReadAsync<T>(Func<CancellationToken, Task<MailWork<T>>> work, CancellationToken cancellationToken)
    {
        // Every handler here signs in to the mail server: so many a minute per user, then the page says to wait.
        if (!limiter.TryAcquire(User.Id()))
        {
            Problem = text["Mail.TooManyReads"];
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return default;
        }

        var done = await work(cancellationToken);
        Problem = done.Succeeded ? null : text.MailProblem(done);
        return done.Value;
    }
}
