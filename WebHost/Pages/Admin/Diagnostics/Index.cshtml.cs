using Marten;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using MailAccounts.WebHost.Rendering;

namespace MailAccounts.WebHost.Pages.Admin.Diagnostics;

/// <summary>
/// Replay for diagnostics: rebuild every projected view from the events (with its progress), check that stored
/// documents match their streams, and each account's health as its events tell it.
/// </summary>
public sealed class IndexModel(
    IDocumentStore store, IQuerySession session, ProjectionRebuild rebuild, IStringLocalizer<SharedResource> text) : PageModel
{
    public RebuildProgress Progress { get; private set; } = null!;

    public IReadOnlyList<Divergence>? Divergences { get; private set; }

    public IReadOnlyList<AccountHealthRow> Health { get; private set; } = [];

    /// <summary>Why the health could not be read: a view's table damaged or gone, which a rebuild repairs.</summary>
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Progress = rebuild.Progress;
        (Health, Problem) = await AccountHealthQuery.RunAsync(session, User.Actor(), cancellationToken);
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
