using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Storage;
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

    public IReadOnlyList<(Account Account, AccountHealth? Health, MailboxStatus? Check)> Health { get; private set; } = [];

    /// <summary>Why the health could not be read: a view's table damaged or gone, which a rebuild repairs.</summary>
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Progress = rebuild.Progress;
        try
        {
            await LoadHealthAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseConnections.ClientFailure(e) is { } error)
        {
            Problem = (error as Npgsql.PostgresException)?.MessageText ?? error.Message;
            // The connection that failed may no longer match the server: it is not handed out again.
            DatabaseConnections.DiscardPooled(store);
        }
    }

    private async Task LoadHealthAsync(CancellationToken cancellationToken)
    {
        var accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Administer, cancellationToken);
        var ids = accounts.Select(a => a.Id).ToArray();
        var health = (await session.LoadManyAsync<AccountHealth>(cancellationToken, ids)).ToDictionary(h => h.Id);
        var checks = (await session.LoadManyAsync<MailboxStatus>(cancellationToken, ids)).ToDictionary(c => c.Id);
        Health = accounts.Select(a => (a, health.GetValueOrDefault(a.Id), checks.GetValueOrDefault(a.Id))).ToArray();
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
