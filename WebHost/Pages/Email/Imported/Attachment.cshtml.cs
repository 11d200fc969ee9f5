using Marten;
using MailAccounts.Infrastructure.Import;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Net.Http.Headers;

namespace MailAccounts.WebHost.Pages.Email.Imported;

/// <summary>
/// Downloads an imported letter's attachment, as the live client does: always as a download with its file name
/// (Content-Disposition: attachment), under a policy that lets nothing in it run, so that HTML, SVG or XML never
/// render in the product's origin. The type is the one the message declared, when it is a well-formed type.
/// </summary>
public sealed class AttachmentModel(IQuerySession session) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, int n, CancellationToken cancellationToken)
    {
        if (await ImportedMail.FindAsync(session, User.Actor(), id, cancellationToken) is not { } letter)
        {
            return this.NotFoundPage(LetterModel.NotThere);
        }

        if (await ImportedMail.AttachmentAsync(session, letter, n, cancellationToken) is not var (attachment, content))
        {
            return this.NotFoundPage(new Missing(Missing.Attachment, $"/Email/Imported/Letter?id={id}", "NotFound.BackToMessage"));
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var type = MediaTypeHeaderValue.TryParse(attachment.ContentType, out var parsed) && parsed.SubType.HasValue && !parsed.MatchesAllSubTypes
            ? parsed.MediaType.Value!
            : "application/octet-stream";
        return File(content, type, attachment.Name.Length == 0 ? "attachment" : attachment.Name);
    }
}
