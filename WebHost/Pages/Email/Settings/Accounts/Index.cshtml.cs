using MailAccounts.Domain.Accounts;
using Marten;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Import;
using MailAccounts.WebHost.Pages.Email.Imported;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Settings;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>Communication » E-mail » Settings, the Accounts tab.</summary>
public sealed class IndexModel(
    IQuerySession session, IMessageBus bus, MailTestLimiter limiter, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public IHtmlContent List { get; private set; } = HtmlString.Empty;

    /// <summary>The accounts whose provider no longer accepts their sign-in: a banner each, with Reconnect for those the user configures.</summary>
    public IReadOnlyList<ReconnectBanner> Reconnects { get; private set; } = [];

    /// <summary>
    /// How the check asked for at <c>checkedSince</c> went, when one was: pending (some account not checked since),
    /// done (every account checked well) or failed (some account failed: its row says why). Null when none was asked.
    /// </summary>
    public string? Check { get; private set; }

    public string? CheckNotice { get; private set; }

    /// <summary>The time the check shown was asked for (<c>checkedSince</c>), and the one account it was for, if it was for one.</summary>
    public long? CheckedSince { get; private set; }

    public Guid? CheckedAccount { get; private set; }

    /// <summary>While a check of every account runs: how many of the accounts it checks have their result already.</summary>
    public (int Done, int Of) CheckProgress { get; private set; }

    /// <summary>
    /// Check mail: every account's monitored folders, or the one account of a row's Check button, on the durable queue;
    /// the page returns before the servers answer. accounts-check.js posts the same form and follows the check in place.
    /// </summary>
    public async Task<IActionResult> OnPostCheckMailAsync(Guid? account, CancellationToken cancellationToken)
    {
        if (!limiter.TryAcquire(User.Id()))
        {
            TempData["Notice"] = text["Test.TooMany"].Value;
            return RedirectToPage();
        }

        // A row's Check names an account the user may use; any other is not there for this user.
        if (account is { } one && await AccountQueries.FindAsync(session, one, User.Actor(), AccountUse.Use, cancellationToken) is null)
        {
            return NotFound();
        }

        // The page reloaded later says how this check went: the time it was asked for travels in the address.
        var asked = DateTimeOffset.UtcNow;
        await bus.PublishAsync(new CheckMailNow(User.Id(), account));
        return RedirectToPage(new { checkedSince = asked.ToUnixTimeMilliseconds(), account });
    }

    public async Task<IActionResult> OnGetAsync(long? checkedSince, Guid? account, CancellationToken cancellationToken) =>
        await LoadAsync(checkedSince, account, cancellationToken) ? Page() : NotFound();

    /// <summary>The notice and the rows alone, as the page shows them: what accounts-check.js asks for while a check runs.</summary>
    public async Task<IActionResult> OnGetLiveAsync(long? checkedSince, Guid? account, CancellationToken cancellationToken)
    {
        return await LoadAsync(checkedSince, account, cancellationToken) ? Partial("_AccountsLive", this) : NotFound();
    }

    /// <summary>False when the check shown names an account that is not in the user's list.</summary>
    private async Task<bool> LoadAsync(long? checkedSince, Guid? account, CancellationToken cancellationToken)
    {
        // The accounts the user configures, and the group accounts the user may only use, shown without their settings.
        var configurable = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Configure, cancellationToken);
        var usable = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Use, cancellationToken);
        var accounts = configurable.Concat(usable.Where(u => configurable.All(c => c.Id != u.Id))).ToArray();
        if (account is { } named && accounts.All(a => a.Id != named))
        {
            return false;
        }

        var configurableIds = configurable.Select(a => a.Id).ToHashSet();
        Reconnects = await ReconnectBanner.ForAsync(session, text, accounts, configurableIds, cancellationToken);
        var statuses = (await session.LoadManyAsync<MailboxStatus>(cancellationToken, accounts.Select(a => a.Id))).ToDictionary(s => s.Id);
        var health = (await session.LoadManyAsync<AccountHealth>(cancellationToken, accounts.Select(a => a.Id))).ToDictionary(h => h.Id);
        // Every account listed is one the user configures or uses, so its import is the user's to see.
        var imports = (await ImportedMail.ProgressOfAsync(session, accounts, cancellationToken)).ToDictionary(i => i.Account.Id, i => ImportState.Of(i, text));
        // The accounts whose result of the check asked for has not landed yet: their rows say they are being checked.
        var checking = new HashSet<Guid>();
        if (checkedSince is { } since)
        {
            var asked = DateTimeOffset.FromUnixTimeMilliseconds(since);
            var checkable = accounts.Where(a => a.Incoming is not null && (account is null || a.Id == account)).ToArray();
            var done = checkable.Where(a => statuses.GetValueOrDefault(a.Id) is { } s && s.CheckedAt >= asked).ToArray();
            checking = checkable.Except(done).Select(a => a.Id).ToHashSet();
            var failed = done.Where(a => !statuses[a.Id].Succeeded).Select(a => a.Title).ToArray();
            CheckedSince = since;
            CheckProgress = (done.Length, checkable.Length);
            if (account is null)
            {
                (Check, CheckNotice) = done.Length < checkable.Length
                    ? ("pending", text["Accounts.CheckStarted"].Value)
                    : failed.Length == 0
                        ? ("done", text["Accounts.CheckDone"].Value)
                        : ("failed", string.Format(text["Accounts.CheckFailedThese"].Value, string.Join(", ", failed)));
            }
            else if (checkable.SingleOrDefault() is { } one)
            {
                CheckedAccount = one.Id;
                (Check, CheckNotice) = done.Length == 0
                    ? ("pending", string.Format(text["Accounts.CheckingOne"].Value, one.Title))
                    : failed.Length == 0
                        ? ("done", string.Format(text["Accounts.CheckedOne"].Value, one.Title))
                        : ("failed", string.Format(text["Accounts.CheckFailedOne"].Value, one.Title));
            }
        }

        // A failed test (or send) newer than the last check is the account's latest news: its advice, the server's words below.
        var lastErrors = health.Values
            .Where(h => h is { FailingSince: not null, LastErrorAt: not null, LastError: not null } && !(statuses.GetValueOrDefault(h.Id)?.CheckedAt >= h.LastErrorAt))
            .ToDictionary(h => h.Id, h => new LastError(h.LastErrorAt!.Value, text.Recorded(
                h.LastFailure, h.LastError!, h.LastFailure is null && h.LastErrorStage == "Sending" ? AdviceWords.NotSentSeeBelow : AdviceWords.TestFailedSeeBelow)));
        var rows = accounts.Select(a => new
        {
            a.Id,
            a.Title,
            a.Name,
            a.Address,
            Configurable = configurableIds.Contains(a.Id),
            Group = a.Kind == AccountKind.Group,
            Deactivated = a.DeactivationReason ?? "",
            Protocol = configurableIds.Contains(a.Id) ? a.Incoming?.Protocol.ToString().ToUpperInvariant() ?? "" : "",
            Server = configurableIds.Contains(a.Id) && a.Incoming is { } incoming ? $"{incoming.Host}:{incoming.Port}" : "",
            // An account whose provider no longer accepts it says so first: nothing else helps until it is reconnected.
            Status = a.NeedsReconnecting ? text["Account.NeedsReconnecting"].Value
                : lastErrors.GetValueOrDefault(a.Id) is { } lastError
                ? string.Format(text["Accounts.LastErrorAt"].Value, lastError.At.Display(), lastError.Advice.Text)
                : statuses.GetValueOrDefault(a.Id) is { } status
                ? status.Succeeded
                    ? string.Format(text["Accounts.UnreadMonitored"].Value, status.Unread, status.CheckedAt.Display())
                    : string.Format(text["Accounts.StatusFailed"].Value, status.CheckedAt.Display(), text.Advice(status.Failure)?.Text ?? status.Detail)
                : health.GetValueOrDefault(a.Id)?.LastSuccessAt is { } signedIn
                    ? string.Format(text["Accounts.LastSignIn"].Value, signedIn.Display())
                    : text["Accounts.NotChecked"].Value,
            // The advice replaces the server's words in the row; they stay beside it, smaller.
            ServerWords = a.NeedsReconnecting ? a.Authorisation!.LostReason ?? ""
                : lastErrors.GetValueOrDefault(a.Id) is { } lastWords ? lastWords.Advice.ServerWords
                : statuses.GetValueOrDefault(a.Id) is { Succeeded: false } said && text.Advice(said.Failure) is not null ? said.Detail : "",
            AdviceKey = a.NeedsReconnecting ? "Advice.NeedsReconnecting"
                : lastErrors.GetValueOrDefault(a.Id) is { } lastAdvice ? lastAdvice.Advice.Key
                : statuses.GetValueOrDefault(a.Id) is { Succeeded: false } advised ? text.Advice(advised.Failure)?.Key ?? "" : "",
            StatusFailed = a.NeedsReconnecting || lastErrors.ContainsKey(a.Id) || statuses.GetValueOrDefault(a.Id) is { Succeeded: false },
            CheckState = statuses.GetValueOrDefault(a.Id) is { } checkedState ? (checkedState.Succeeded ? "ok" : "failed") : "none",
            Unread = statuses.GetValueOrDefault(a.Id) is { Succeeded: true } checkedOk ? checkedOk.Unread : (int?)null,
            Checkable = a.Incoming is not null,
            Checking = checking.Contains(a.Id),
            ImportState = imports[a.Id],
            FoldersUrl = $"/Email/Settings/Folders/{a.Id}",
            EditUrl = $"/Email/Settings/Accounts/Edit/{a.Id}",
            HistoryUrl = $"/Email/Settings/Accounts/History/{a.Id}",
        });
        List = templates.View("AccountList", text, rows.ToArray(),
            "Accounts.Empty", "Account.Title", "Account.Name", "Account.Address", "Account.Host", "Accounts.History", "Accounts.Edit", "Accounts.Status", "Accounts.StatusMeaning", "Advice.ServerSaid", "Accounts.Folders",
            "AccountKind.Group", "AdminAccounts.Deactivated", "Accounts.CheckOne", "Accounts.Checking", "Accounts.Import");
        return true;
    }

    /// <summary>The account's last error, from its health, when it is newer than its last check.</summary>
    private sealed record LastError(DateTimeOffset At, RecordedAdvice Advice);
}
