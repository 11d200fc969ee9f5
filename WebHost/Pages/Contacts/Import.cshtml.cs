using Marten;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Contacts;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Contacts;

/// <summary>
/// Import contacts from a CSV file: Preview reads it and says, row by row, what it would add and why a bad row would
/// not be; Import adds all the good rows in one transaction. The file travels from the preview to Import sealed, so
/// the browser cannot change it, and Import reads and checks it again rather than trusting the preview.
/// </summary>
[RequestSizeLimit(4 * ContactCsv.MaxBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = 4 * ContactCsv.MaxBytes, ValueLengthLimit = 4 * ContactCsv.MaxBytes)]
public sealed class ImportModel(IQuerySession session, Commands commands, FormSeal seals, IStringLocalizer<SharedResource> text) : PageModel
{
    /// <summary>The file as previewed, with the lines the preview offered to import.</summary>
    public sealed record PreviewedFile(string FileName, byte[] Content, IReadOnlyList<int> GoodLines);

    private FormSeal.Sealed<PreviewedFile> Previewed => seals.For<PreviewedFile>("MailAccounts.Contacts.ImportPreview.v1", TimeSpan.FromHours(2));

    public ImportPreview? Preview { get; private set; }

    /// <summary>The sealed file, for the Import button.</summary>
    public string? Token { get; private set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostPreviewAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            Problem = text["ContactImport.ChooseFile"];
            return Page();
        }

        if (file.Length > ContactCsv.MaxBytes)
        {
            Problem = text[ContactCsv.TooLarge];
            return Page();
        }

        using var content = new MemoryStream();
        await file.CopyToAsync(content, cancellationToken);
        var name = Path.GetFileName(file.FileName ?? "");
        Show(await ContactImport.PreviewAsync(session, name.Length > 200 ? name[..200] : name, content.ToArray(), cancellationToken), content.ToArray());
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(string? token, CancellationToken cancellationToken)
    {
        if (Previewed.Open(token) is not { } previewed)
        {
            // Forged, altered or expired: nothing is imported, and the person starts again from the file.
            Problem = text["ContactImport.Tampered"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await commands.InvokeAsync(new ImportContacts(User.Actor(), previewed.FileName, previewed.Content, previewed.GoodLines), cancellationToken);
        if (outcome is ImportOutcome { Succeeded: true } imported)
        {
            TempData["Notice"] = string.Format(text["ContactImport.Imported"].Value, imported.Added);
            return LocalRedirect("/Contacts");
        }

        Problem = string.Join(" ", outcome.Violations.Select(v => ContactViolationText.Of(v, text)));
        if (outcome is ImportOutcome { Preview: { } again })
        {
            Show(again, previewed.Content);
        }

        return Page();
    }

    private void Show(ImportPreview preview, byte[] content)
    {
        Preview = preview;
        Problem ??= preview.Problem is { } problem ? text[problem].Value : null;
        Token = preview.Problem is null && preview.Good > 0 ? Previewed.Seal(new PreviewedFile(preview.FileName, content, preview.GoodLines)) : null;
    }
}
