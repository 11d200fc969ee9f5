using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Sending;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.Verification;
using MailAccounts.Domain.Verification;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email;

/// <summary>What the compose form posts.</summary>
public sealed class ComposeInput
{
    public Guid MailId { get; set; }

    public Guid AccountId { get; set; }

    public string? To { get; set; }

    public string? Cc { get; set; }

    public string? Bcc { get; set; }

    public string? Subject { get; set; }

    public string? Body { get; set; }

    /// <summary>Send as plain text, for this message.</summary>
    public bool PlainText { get; set; }

    /// <summary>Whether <see cref="Body"/> is plain text now; differs from <see cref="PlainText"/> until the body is converted.</summary>
    public bool BodyIsPlain { get; set; }

    /// <summary>The message this one answers or forwards, sealed so that a form cannot name another's mail or forge thread headers.</summary>
    public string? Context { get; set; }

    /// <summary>Stored attachments the user removed, by index.</summary>
    public List<int> Removed { get; set; } = [];

    /// <summary>The forwarded message's attachments the user keeps, by index.</summary>
    public List<int> Forwarded { get; set; } = [];

    /// <summary>
    /// Posted by Send anyway only: the addresses marked invalid that the user was shown and chose to send to regardless
    /// (comma-separated). An address marked since, or added to the form since, is warned about again.
    /// </summary>
    public string? SendAnyway { get; set; }
}

/// <summary>The message a reply or forward comes from.</summary>
public sealed record ComposeContext(Guid UserId, Guid AccountId, string Folder, string Uid, string? InReplyTo, IReadOnlyList<string> References, bool Forward);

/// <summary>
/// Compose, Reply, Reply all and Forward. The body starts as the user's settings say (plain text or HTML, the
/// account's signature or the default one, above or below the quotation), and Send hands the message to the outbox:
/// the page returns at once while the durable queue delivers it.
/// </summary>
public sealed class ComposeModel(
    IQuerySession session, Commands commands, MailClient mail, MailOptions options, FormSeal seals, IStringLocalizer<SharedResource> text,
    AddressSuggestions suggestions)
    : PageModel
{
    [BindProperty]
    public ComposeInput Input { get; set; } = new();

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    /// <summary>What new files may weigh together: the browser says so before it posts a form the host would refuse unread.</summary>
    public long MaxAttachmentBytes => options.MaxAttachmentBytes;

    /// <summary>Attachments already stored with the draft.</summary>
    public IReadOnlyList<(int Index, string Name, long Size)> Stored { get; private set; } = [];

    /// <summary>The forwarded message's attachments, offered to be sent on.</summary>
    public IReadOnlyList<AttachmentInfo> Forwardable { get; private set; } = [];

    public string? Problem { get; private set; }

    /// <summary>The problem of the last attempt, for a message opened from the Not sent list.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>
    /// Set when the message of this page is on its way (<see cref="MailStage.Queued"/>) or sent: the page then says so
    /// and offers no form, so that Back after Send, or a second tab, cannot send it (or an empty copy of it) again.
    /// </summary>
    public MailStage? SentAlready { get; private set; }

    /// <summary>The account the message went from, for the link to its Sent folder.</summary>
    public Guid SentFrom { get; private set; }

    /// <summary>
    /// Set when Send was refused because addresses in To, Cc or Bcc are marked invalid: each with its mark, in the order
    /// the form names them. The message was kept as a draft; Send anyway sends it.
    /// </summary>
    public IReadOnlyList<AddressState> InvalidRecipients { get; private set; } = [];

    /// <summary>The addresses marked invalid in each address field as the page shows it, by field name (Input.To…).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<AddressState>> Marks { get; private set; } = new Dictionary<string, IReadOnlyList<AddressState>>();

    private FormSeal.Sealed<ComposeContext> Contexts => seals.For<ComposeContext>("MailAccounts.Compose.Context");

    public async Task<IActionResult> OnGetAsync(
        Guid? account, string? mode, string? folder, string? uid, Guid? draft, string? to, [FromQuery(Name = "mail")] Guid? mailId,
        CancellationToken cancellationToken)
    {
        var shown = await FormAsync(account, mode, folder, uid, draft, to, mailId, cancellationToken);
        if (shown is PageResult && SentAlready is null)
        {
            // A draft, a reply or a link's address marked invalid is marked as the form opens, script or not.
            await MarkAsync(cancellationToken);
        }

        return shown;
    }

    private async Task<IActionResult> FormAsync(
        Guid? account, string? mode, string? folder, string? uid, Guid? draft, string? to, Guid? mailId, CancellationToken cancellationToken)
    {
        // compose.js writes the message's id into the page's address (mail=…), so that the browser's Back (or a reload)
        // after Send asks for this very message again and finds it sent, instead of getting a fresh form to send again.
        var newId = mailId is { } given && given != Guid.Empty ? given : Guid.CreateVersion7();
        Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken);
        var key = draft ?? newId;
        var stored = await session.LoadAsync<OutgoingMail>(key, cancellationToken);
        var sent = stored is null ? await session.LoadAsync<SentMail>(key, cancellationToken) : null;
        if ((stored is not null && stored.UserId != User.Id()) || (sent is not null && sent.UserId != User.Id()))
        {
            return this.NotFoundPage(new Missing(Missing.Draft, "/Email/Outbox", "NotFound.BackToOutbox"));
        }

        var stage = await OutgoingMailQueries.StageAsync(session, key, stored, cancellationToken);
        if (!SendingOnce.MayCompose(stage))
        {
            SentAlready = stage;
            SentFrom = stored?.AccountId ?? sent!.AccountId;
            return Page();
        }

        if (stored is not null)
        {
            Fill(stored);
            return Page();
        }

        if (draft is not null)
        {
            return this.NotFoundPage(new Missing(Missing.Draft, "/Email/Outbox", "NotFound.BackToOutbox"));
        }

        var from = account is { } id ? Accounts.FirstOrDefault(a => a.Id == id) : Accounts.FirstOrDefault();
        if (from is null)
        {
            if (account is not null)
            {
                return this.NotFoundPage(Missing.InEmail(Missing.Account));
            }

            Problem = text["Accounts.Empty"];
            return Page();
        }

        var settings = await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken);
        Input = new ComposeInput
        {
            MailId = newId, AccountId = from.Id, PlainText = settings.PlainText, BodyIsPlain = settings.PlainText, To = to,
        };
        var signature = Signature(from, settings);
        if (mode is not ("reply" or "all" or "forward") || folder is null || uid is null)
        {
            Input.Body = Arrange(signature, null, settings.SignatureBeforeQuote);
            return Page();
        }

        if (from.Incoming?.Protocol != IncomingProtocol.Pop3 && !MissingResults.IsImapUid(uid))
        {
            return this.BadRequestPage(Missing.InFolder(Missing.Message, from.Id, folder));
        }

        var original = await OriginalAsync(from, folder, uid, cancellationToken);
        if (original is null)
        {
            return Problem is null ? this.NotFoundPage(Missing.InFolder(Missing.Message, from.Id, folder)) : Page();
        }

        var forward = mode == "forward";
        Input.Subject = forward ? Drafts.ForwardSubject(original.Subject) : Drafts.ReplySubject(original.Subject);
        if (!forward)
        {
            var replyTo = original.ReplyTo;
            var own = Accounts.SelectMany(a => new[] { a.Address, a.Outgoing?.Address ?? "" }).Where(a => a.Length > 0).ToArray();
            var addressees = mode == "all"
                ? Drafts.ReplyAll(replyTo, original.To, original.Cc, own)
                : new Addressees(replyTo.Take(1).ToArray(), [], []);
            Input.To = string.Join(", ", addressees.To);
            Input.Cc = string.Join(", ", addressees.Cc);
        }
        else
        {
            Forwardable = original.Forwardable;
            Input.Forwarded = [.. Forwardable.Select(a => a.Index)];
        }

        Input.Context = Seal(new ComposeContext(
            User.Id(), from.Id, folder, uid,
            forward ? null : original.MessageId,
            forward ? [] : Drafts.ReplyReferences(original.References, original.MessageId),
            forward));
        Input.Body = Arrange(signature, Quote(original, forward, Input.BodyIsPlain), settings.SignatureBeforeQuote);
        return Page();
    }

    /// <summary>
    /// Every post of the form names an account to send from and a message: both must be the user's to use, or the
    /// answer is 404 before anything is converted, saved or sent.
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (HttpMethods.IsPost(Request.Method))
        {
            var cancellationToken = HttpContext.RequestAborted;
            var mail = await session.LoadAsync<OutgoingMail>(Input.MailId, cancellationToken);
            if (await AccountQueries.FindAsync(session, Input.AccountId, User.Actor(), AccountUse.Use, cancellationToken) is null
                || (mail is not null && mail.UserId != User.Id()))
            {
                context.Result = NotFound();
                return;
            }
        }

        await next();
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => SubmitAsync(send: true, cancellationToken);

    public Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken) => SubmitAsync(send: false, cancellationToken);

    /// <summary>
    /// The compose script's autosave: the form as it stands saved as the same draft, without the files chosen, the
    /// attachments ticked for removal or the forwarded ones (those go with Save or Send, posted once). Answers JSON:
    /// the page stays as it is.
    /// </summary>
    public async Task<IActionResult> OnPostAutosaveAsync(CancellationToken cancellationToken)
    {
        var context = Unseal(Input.Context);
        var outcome = await commands.InvokeAsync(
            new SendMail(
                User.Actor(), Input.MailId, Input.AccountId,
                new DraftForm(Input.To, Input.Cc, Input.Bcc, Input.Subject, Converted(), Input.PlainText),
                context is null ? null : new ThreadHeaders(context.InReplyTo, context.References),
                [], [], Send: false),
            cancellationToken);
        return outcome.Succeeded
            ? new JsonResult(new { saved = true, draft = $"/Email/Compose?draft={Input.MailId}" })
            : new JsonResult(new { saved = false, problem = string.Join(" ", outcome.Violations.Select(v => text[v.Code].Value)) }) { StatusCode = 422 };
    }

    /// <summary>Addresses for what the user is typing in To, Cc or Bcc: the signed-in user's own, as JSON.</summary>
    public async Task<IActionResult> OnGetSuggestionsAsync(string? q, CancellationToken cancellationToken)
    {
        // The user's own addresses are never offered (a message in Sent or a copy to oneself is from them).
        var own = (await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken))
            .SelectMany(a => new[] { a.Address, a.Outgoing?.Address ?? "" }).Where(a => a.Length > 0).ToArray();
        var found = await suggestions.ForAsync(session, User.Id(), q, own, cancellationToken);
        var invalid = await AddressStates.InvalidAmongAsync(session, found.Select(s => s.Address), cancellationToken);
        return new JsonResult(found.Select(s => (Suggestion: s, Mark: AddressMarkWords.Of(invalid.GetValueOrDefault(AddressVerification.Normalise(s.Address)), text)))
            .Select(s => new { name = s.Suggestion.Name, address = s.Suggestion.Address, text = s.Suggestion.Text, invalid = s.Mark?.Word, invalidDetail = s.Mark?.Detail }));
    }

    /// <summary>
    /// The marks of the addresses in one field, as the page shows them under it: the compose script asks as the user
    /// leaves the field, so that an address marked invalid is seen before Send.
    /// </summary>
    public async Task<IActionResult> OnGetMarksAsync(string? addresses, CancellationToken cancellationToken) =>
        Partial("ComposeAddressMarks", await InvalidInAsync([addresses], cancellationToken));

    /// <summary>Send as plain text ticked or cleared: the body moves to the other editor, nothing is saved yet.</summary>
    public async Task<IActionResult> OnPostSwitchAsync(CancellationToken cancellationToken)
    {
        Input.Body = Converted();
        Input.BodyIsPlain = Input.PlainText;
        ModelState.Clear();
        return await RedisplayAsync(cancellationToken);
    }

    private async Task<IActionResult> SubmitAsync(bool send, CancellationToken cancellationToken)
    {
        var context = Unseal(Input.Context);
        // Send to an address marked invalid asks first: the message is kept as a draft (as Save keeps it, files and
        // all) and the page says which addresses and why, with Send anyway. Confirmed are only the addresses shown.
        var confirmed = (Input.SendAnyway ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(AddressVerification.Normalise).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var invalid = send ? await InvalidInAsync([Input.To, Input.Cc, Input.Bcc], cancellationToken) : [];
        var warn = invalid.Any(s => !confirmed.Contains(s.Address));
        send &= !warn;
        var added = new List<MailAttachment>();
        foreach (var file in Files.Where(f => f.Length > 0))
        {
            using var content = new MemoryStream();
            await file.CopyToAsync(content, cancellationToken);
            added.Add(new MailAttachment(Path.GetFileName(file.FileName), file.ContentType ?? "application/octet-stream", content.ToArray()));
        }

        var forwardFailed = false;
        if (context is { Forward: true } && Input.Forwarded.Count > 0)
        {
            var account = await AccountQueries.FindAsync(session, context.AccountId, User.Actor(), AccountUse.Use, cancellationToken);
            var original = account is null ? null : await OriginalAsync(account, context.Folder, context.Uid, cancellationToken);
            forwardFailed = original is null;
            added.AddRange(original?.Attachments(Input.Forwarded) ?? []);
        }

        Input.Body = Converted();
        Input.BodyIsPlain = Input.PlainText;
        var outcome = await commands.InvokeAsync(
            new SendMail(
                User.Actor(), Input.MailId, Input.AccountId,
                new DraftForm(Input.To, Input.Cc, Input.Bcc, Input.Subject, Input.Body, Input.PlainText),
                context is null ? null : new ThreadHeaders(context.InReplyTo, context.References),
                added, Input.Removed, send && !forwardFailed),
            cancellationToken);
        if (outcome.Violations.Any(v => v.Code is SendingViolations.AccountCannotSend or SendingViolations.Unknown))
        {
            return NotFound();
        }

        if (outcome.Violations.Any(v => v.Code == SendingViolations.AlreadySent))
        {
            // A form brought back after its message went: nothing is sent or saved, and the page says where the message is.
            var stage = await OutgoingMailQueries.StageAsync(session, Input.MailId, await session.LoadAsync<OutgoingMail>(Input.MailId, cancellationToken), cancellationToken);
            SentAlready = stage == MailStage.Sent ? MailStage.Sent : MailStage.Queued;
            SentFrom = Input.AccountId;
            Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken);
            return Page();
        }

        // Forwarded attachments are stored with the draft now; the form must not add them a second time.
        Input.Context = context is null ? null : Seal(context with { Forward = false });
        Input.Forwarded = [];
        Input.Removed = [];
        if (forwardFailed)
        {
            ModelState.AddModelError("Input.Attachments", text[SendingViolations.OriginalGone]);
        }
        else if (outcome.Succeeded && warn)
        {
            InvalidRecipients = invalid;
        }
        else if (outcome.Succeeded)
        {
            TempData["Notice"] = send ? text["Compose.Queued"].Value : text["Compose.Saved"].Value;
            if (send)
            {
                // The page after Send offers Undo while the message waits out the user's undo time.
                TempData["UndoSend"] = Input.MailId.ToString();
            }
            return send ? LocalRedirect($"/Email?account={Input.AccountId}") : LocalRedirect("/Email/Outbox");
        }

        ModelState.AddViolations(outcome.Violations, text, nameof(Input));
        return await RedisplayAsync(cancellationToken);
    }

    private async Task<IActionResult> RedisplayAsync(CancellationToken cancellationToken)
    {
        Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken);
        await MarkAsync(cancellationToken);
        var stored = await OutgoingMailQueries.FindOwnedAsync(session, Input.MailId, User.Id(), cancellationToken);
        Stored = stored?.Attachments.Select((a, i) => (i, a.FileName, (long)a.Content.Length)).ToArray() ?? [];
        LastProblem = stored?.Problem;
        if (Unseal(Input.Context) is { Forward: true } context
            && await AccountQueries.FindAsync(session, context.AccountId, User.Actor(), AccountUse.Use, cancellationToken) is { } account
            && await OriginalAsync(account, context.Folder, context.Uid, cancellationToken) is { } original)
        {
            Forwardable = original.Forwardable;
        }

        return Page();
    }

    /// <summary>The addresses of the fields marked invalid, each once, in the order the fields name them: one query.</summary>
    private async Task<IReadOnlyList<AddressState>> InvalidInAsync(IEnumerable<string?> fields, CancellationToken cancellationToken)
    {
        var addresses = fields.SelectMany(f => Recipients.Parse(f).Recipients).Select(r => AddressVerification.Normalise(r.Address)).Distinct().ToArray();
        var invalid = await AddressStates.InvalidAmongAsync(session, addresses, cancellationToken);
        return [.. addresses.Where(invalid.ContainsKey).Select(a => invalid[a])];
    }

    /// <summary>The marks under each address field, for the page as it is shown (a draft, a reply, a refused form).</summary>
    private async Task MarkAsync(CancellationToken cancellationToken)
    {
        var invalid = (await InvalidInAsync([Input.To, Input.Cc, Input.Bcc], cancellationToken)).ToDictionary(s => s.Address);
        Marks = new Dictionary<string, IReadOnlyList<AddressState>>
        {
            ["Input.To"] = Of(Input.To), ["Input.Cc"] = Of(Input.Cc), ["Input.Bcc"] = Of(Input.Bcc),
        };

        IReadOnlyList<AddressState> Of(string? field) =>
            [.. Recipients.Parse(field).Recipients.Select(r => AddressVerification.Normalise(r.Address)).Distinct().Where(invalid.ContainsKey).Select(a => invalid[a])];
    }

    private void Fill(OutgoingMail mail)
    {
        Input = new ComposeInput
        {
            MailId = mail.Id, AccountId = mail.AccountId, To = mail.To, Cc = mail.Cc, Bcc = mail.Bcc, Subject = mail.Subject, Body = mail.Body,
            PlainText = mail.PlainText, BodyIsPlain = mail.PlainText,
        };
        Stored = mail.Attachments.Select((a, i) => (i, a.FileName, (long)a.Content.Length)).ToArray();
        LastProblem = mail.Problem;
    }

    /// <summary>The body in the form <see cref="ComposeInput.PlainText"/> asks for.</summary>
    private string Converted()
    {
        var body = Input.Body ?? "";
        return Input.PlainText == Input.BodyIsPlain ? body
            : Input.PlainText ? AboveTheSignature(ReadableText.FromHtml(body))
            : ComposeText.ToHtml(body);
    }

    /// <summary>Nothing written yet above the signature: the text keeps empty lines to write on, as a new message has them.</summary>
    private static string AboveTheSignature(string text) => text.StartsWith("-- \n", StringComparison.Ordinal) ? "\n\n" + text : text;

    private RenderedSignature? Signature(Account account, MailSettings settings)
    {
        var chosen = settings.FindSignature(account.SignatureId) ?? settings.FindSignature(settings.DefaultSignatureId);
        if (chosen is null)
        {
            return null;
        }

        var sender = MailComposer.Sender(account);
        return SignatureTemplates.Render(chosen.Html, new SignatureValues(
            User.Identity?.Name ?? "", User.Login(), account.Title, sender.Name ?? "", sender.Address, DateTimeOffset.UtcNow));
    }

    /// <summary>An empty line to write on, then the signature and the quotation in the order the user chose.</summary>
    private string Arrange(RenderedSignature? signature, string? quote, bool signatureBeforeQuote)
    {
        var plain = Input.BodyIsPlain;
        var signed = signature is null ? null : MailComposer.SignatureBlock(signature, plain);
        var parts = (signatureBeforeQuote ? new[] { signed, quote } : [quote, signed]).Where(p => p is not null);
        return plain
            ? "\n\n" + string.Join("\n\n", parts)
            : "<p><br></p>" + string.Concat(parts);
    }

    private string Quote(OriginalMessage original, bool forward, bool plain)
    {
        var from = original.FromText;
        var date = original.Date.Display();
        if (forward)
        {
            var header = $"{text["Compose.Forwarded"]}\n{text["Client.Subject"]}: {original.Subject}\n{text["Client.Date"]}: {date}\n"
                + $"{text["Client.From"]}: {from}\n{text["Client.To"]}: {original.ToText}";
            return plain
                ? header + "\n\n" + original.PlainText
                : $"<div class=\"forwarded\">{ComposeText.ToHtml(header)}{original.Html}</div>";
        }

        var attribution = string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Compose.Wrote"].Value, date, from);
        return plain
            ? ComposeText.QuotePlain(attribution, original.PlainText)
            : ComposeText.QuoteHtml(attribution, original.Html);
    }

    private async Task<OriginalMessage?> OriginalAsync(Account account, string folder, string uid, CancellationToken cancellationToken)
    {
        var work = await mail.OriginalAsync(session, account, folder, uid, cancellationToken);
        Problem = work.Succeeded ? null : text.MailProblem(work);
        return work.Value;
    }

    private string Seal(ComposeContext context) => Contexts.Seal(context);

    private ComposeContext? Unseal(string? sealedContext) => Contexts.Open(sealedContext) is { } context && context.UserId == User.Id() ? context : null;
}
