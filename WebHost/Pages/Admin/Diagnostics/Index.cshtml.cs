using Marten;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MailAccounts.WebHost.Pages.Admin.Diagnostics;

/// <summary>
/// Replay for diagnostics: rebuild every projected view from the events (with its progress), check that stored
/// documents match their streams, and each account's health as its events tell it.
/// </summary>
public sealed class IndexModel(IDocumentStore store, IQuerySession session, ProjectionRebuild rebuild) : PageModel
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
