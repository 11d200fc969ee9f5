using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using MailAccounts.WebHost.Rendering;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using MimeKit;

namespace MailAccounts.WebHost.Pages.Email.Imported;

/// <summary>
/// One imported letter, rendered from the raw message the system keeps exactly as live mail is: the same sanitiser,
/// the same sandboxed frame and the same Show images rule. It says where the letter was found, lists its thread, and
/// deletes it from the system (never from the server). A letter too large to keep shows its header and attachment list.
/// </summary>
public sealed class LetterModel(
    IQuerySession session, Commands commands, MailOptions options, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>What the 404 page says of a letter not there (or not the reader's), and the way back.</summary>
    public static readonly Missing NotThere = new("letter", "/Email/Imported", "Imported.BackToList");

    public Guid Id { get; private set; }

    public string Subject { get; private set; } = "";

    public IHtmlContent Headers { get; private set; } = HtmlString.Empty;

    public MessageFrame.View? Body { get; private set; }

    public bool TooLarge { get; private set; }

    /// <summary>Where the letter was found, in the accounts the reader may use: the account's title and the folder's name.</summary>
    public IReadOnlyList<(string Account, string Folder)> Places { get; private set; } = [];

    /// <summary>The letters of its thread, oldest first, this one among them.</summary>
    public IReadOnlyList<Letter> Thread { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, bool images = false, CancellationToken cancellationToken = default)
    {
        if (await ImportedMail.FindAsync(session, User.Actor(), id, cancellationToken) is not { } letter)
        {
            return this.NotFoundPage(NotThere);
        }

        Id = id;
        TooLarge = letter.TooLarge;
        var accounts = await ImportedMail.AccountsAsync(session, User.Actor(), cancellationToken);
        Places = [.. letter.Places
            .Select(p => (Place: p, Account: accounts.FirstOrDefault(a => a.Id == p.AccountId)))
            .Where(p => p.Account is not null)
            .Select(p => (p.Account!.Title, p.Account.Incoming?.Protocol == IncomingProtocol.Pop3 ? text["Folder.Inbox"].Value : FolderNames.Display(p.Place.Folder, p.Account, text)))
            .Distinct()];
        Thread = await ImportedMail.ThreadAsync(session, User.Actor(), letter, cancellationToken);

        var headers = letter.Headers;
        IReadOnlyList<InternetAddress> from = MessageAddresses.Parse(headers.From),
            to = [.. headers.To.SelectMany(MessageAddresses.Parse)],
            cc = [.. headers.Cc.SelectMany(MessageAddresses.Parse)];
        var date = headers.Date ?? letter.Sorted;
        Subject = headers.Subject;
        if (!letter.TooLarge)
        {
            await using var raw = await ImportedMail.RawAsync(session, letter, cancellationToken);
            if (raw is null)
            {
                Problem = text["Imported.RawMissing"];
            }
            else
            {
                // Parsed as the live client parses what a server sends, and rendered by the same renderer.
                var message = await MimeMessage.LoadAsync(MailSessions.ParsingFor(options.FallbackCharset), raw, cancellationToken);
                var body = MessageBodies.Render(message, images, options.FallbackCharset);
                (Subject, from, to, cc) = (message.Subject ?? "", [.. message.From], [.. message.To], [.. message.Cc]);
                date = message.Headers.Contains(HeaderId.Date) ? message.Date : date;
                Body = new MessageFrame.View(false, body.RemoteContentBlocked, $"/Email/Imported/Letter?id={id}&images=true", MessageFrame.Document(body.Html, images));
            }
        }

        var addresses = await MessageAddresses.ViewAsync(
            session, text, new Dictionary<string, IReadOnlyList<InternetAddress>> { ["From"] = from, ["To"] = to, ["Cc"] = cc },
            [.. accounts.SelectMany(a => new[] { a.Address, a.Outgoing?.Address ?? "" })], cancellationToken);
        Headers = templates.View("MessageHeaders", text, new
        {
            Subject = Subject.Length == 0 ? text["Client.NoSubject"].Value : Subject,
            InPane = false,
            From = addresses["From"],
            To = addresses["To"],
            Cc = addresses["Cc"],
            Date = date.Display(),
            DateIso = date.Iso(),
            Attachments = letter.Attachments.Select((a, index) => new
            {
                a.Name,
                Size = text.Size(a.Size),
                // A letter too large to keep has no content to download: its list says what the server holds.
                Url = letter.TooLarge ? "" : $"/Email/Imported/Attachment?id={id}&n={index}",
            }).ToArray(),
        },
            MessageAddresses.Words);
        MessageFrame.Protect(Response, images);
        return Page();
    }

    /// <summary>Deletes the letter in the system: it leaves every list and is never imported again; the server keeps it.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new DeleteLetter(User.Actor(), id), cancellationToken);
        if (!outcome.Succeeded)
        {
            return this.NotFoundPage(NotThere);
        }

        TempData[IndexModel.NoticeKey] = text["Imported.Deleted"].Value;
        return LocalRedirect("/Email/Imported");
    }
}
