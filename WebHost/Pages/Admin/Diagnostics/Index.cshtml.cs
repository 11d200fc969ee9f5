using Marten;
using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Bounces;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using MailAccounts.WebHost.Rendering;

namespace MailAccounts.WebHost.Pages.Admin.Diagnostics;

/// <summary>
/// Replay for diagnostics: rebuild every projected view from the events (with its progress), check that stored
/// documents match their streams, and each account's health as its events tell it. Also: how the bounce detector reads
/// an uploaded message (the same reading as <c>bounce-check</c>), and the latest sender-side refusals.
/// </summary>
public sealed class IndexModel(
    IDocumentStore store, IQuerySession session, ProjectionRebuild rebuild, IStringLocalizer<SharedResource> text) : PageModel
{
    public RebuildProgress Progress { get; private set; } = null!;

    public IReadOnlyList<Divergence>? Divergences { get; private set; }

    public IReadOnlyList<AccountHealthRow> Health { get; private set; } = [];

    /// <summary>Why the health could not be read: a view's table damaged or gone, which a rebuild repairs.</summary>
    public string? Problem { get; private set; }

    /// <summary>The largest message the bounce check reads: a bounce with its returned message is far smaller.</summary>
    public const long MaxUpload = 5 * 1024 * 1024;

    /// <summary>The message file to check for a bounce.</summary>
    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The detector's reading of the uploaded message, once one was checked.</summary>
    public BounceReport? Reading { get; private set; }

    public string? UploadName { get; private set; }

    /// <summary>The latest sender-side refusals, newest first.</summary>
    public IReadOnlyList<AddressBounced> Refusals { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Progress = rebuild.Progress;
        (Health, Problem) = await AccountHealthQuery.RunAsync(session, User.Actor(), cancellationToken);
        Refusals = await SenderSideRefusals.LatestAsync(session, cancellationToken);
    }

    /// <summary>The account's title for a refusal, or its id when the account is gone or not this administrator's.</summary>
    public string AccountOf(Guid accountId) =>
        Health.FirstOrDefault(h => h.Account.Id == accountId)?.Account.Title ?? accountId.ToString();

    public async Task<IActionResult> OnPostBounceCheckAsync(CancellationToken cancellationToken)
    {
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), text[Upload is null ? "Bounces.UploadMissing" : "Bounces.UploadEmpty"].Value);
        }
        else if (Upload.Length > MaxUpload)
        {
            ModelState.AddModelError(nameof(Upload), string.Format(text["Bounces.UploadTooLarge"].Value, MaxUpload / (1024 * 1024)));
        }
        else
        {
            UploadName = Path.GetFileName(Upload.FileName);
            await using var stream = Upload.OpenReadStream();
            Reading = BounceDetector.Read(stream);
        }

        await OnGetAsync(cancellationToken);
        return Page();
    }

    /// <summary>How far the rebuild got, for diagnostics.js to show it without reloading the page.</summary>
    public IActionResult OnGetProgress()
    {
        var (state, words) = Describe(rebuild.Progress);
        return new JsonResult(new { state, text = words });
    }

    /// <summary>The state as a hook (running, failed, rebuilt) and the sentence a person reads.</summary>
    public (string? State, string Text) Describe(RebuildProgress progress) => progress switch
    {
        { Running: true } => ("running", string.Format(text["Diagnostics.Rebuilding"].Value, ViewName(progress.Current), progress.Done, progress.Total)),
        { Error: { } error } => ("failed", $"{text["Diagnostics.RebuildFailed"]} {error}"),
        { FinishedAt: { } finished } => ("rebuilt", string.Format(text["Diagnostics.Rebuilt"].Value, progress.Total, finished.Display())),
        _ => (null, ""),
    };

    /// <summary>A view's name in the page's language (the names in the code are English).</summary>
    private string ViewName(string? name) =>
        name is null ? "" : text["ViewName." + name.Replace(" ", "", StringComparison.Ordinal)] is { ResourceNotFound: false } word ? word.Value : name;

    public IActionResult OnPostRebuild()
    {
        rebuild.Start();
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        Divergences = await ConsistencyCheck.RunAsync(store, null, cancellationToken);
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
