using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.General;

/// <summary>Settings » General settings: each user's mail preferences, their signatures and folder management.</summary>
public sealed class IndexModel(IQuerySession session, Commands commands, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public GeneralInput Input { get; set; } = new();

    [TempData]
    public bool Saved { get; set; }

    public MailSettings Settings { get; private set; } = MailSettings.Defaults(Guid.Empty);

    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Input = new GeneralInput
        {
            CheckIntervalMinutes = Settings.CheckIntervalMinutes,
            PlainText = Settings.PlainText,
            Charset = Settings.Charset,
            DefaultSignatureId = Settings.DefaultSignatureId,
            SignatureBeforeQuote = Settings.SignatureBeforeQuote,
            PageSize = Settings.PageSize,
        };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            await LoadAsync(cancellationToken);
            return Page();
        }

        var outcome = await commands.InvokeAsync(new SaveGeneralSettings(User.Id(), new GeneralSettingsForm(
            Input.CheckIntervalMinutes, Input.PlainText, Input.Charset, Input.DefaultSignatureId, Input.SignatureBeforeQuote, Input.PageSize)),
            cancellationToken);
        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations, text, nameof(Input));
            await LoadAsync(cancellationToken);
            return Page();
        }

        Saved = true;
        return RedirectToPage();
    }

    /// <summary>The zone times are shown in; its own small form, so that it never touches the other settings.</summary>
    public Task<IActionResult> OnPostTimeZoneAsync(string? timeZone, CancellationToken cancellationToken) =>
        ChooseAsync(new ChooseTimeZone(User.Id(), timeZone), cancellationToken);

    /// <summary>Undo send: how long Send waits, saved on its own so that the rest of the form is not posted with it.</summary>
    public Task<IActionResult> OnPostUndoSendAsync(int seconds, CancellationToken cancellationToken) =>
        ChooseAsync(new ChooseUndoSendDelay(User.Id(), seconds), cancellationToken);

    /// <summary>
    /// One of the small forms beside the main one: its command alone, its refusal shown on the page as it is now (the
    /// main form's fields were not posted, so what they would say about themselves is not asked).
    /// </summary>
    private async Task<IActionResult> ChooseAsync(object command, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var outcome = await commands.InvokeAsync(command, cancellationToken);
        if (!outcome.Succeeded)
        {
            ModelState.AddViolations(outcome.Violations, text, "");
            await OnGetAsync(cancellationToken);
            return Page();
        }

        Saved = true;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteSignatureAsync(Guid signatureId, CancellationToken cancellationToken)
    {
        var outcome = await commands.InvokeAsync(new DeleteSignature(User.Id(), signatureId), cancellationToken);
        return outcome.Succeeded ? RedirectToPage() : NotFound();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Settings = await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken);
        Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Configure, cancellationToken);
    }

    public sealed class GeneralInput
    {
        public int CheckIntervalMinutes { get; set; }

        public bool PlainText { get; set; }

        public string? Charset { get; set; } = "utf-8";

        public Guid? DefaultSignatureId { get; set; }

        public bool SignatureBeforeQuote { get; set; }

        public int PageSize { get; set; } = 50;
    }
}
