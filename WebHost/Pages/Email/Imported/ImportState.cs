using MailAccounts.Infrastructure.Import;
using MailAccounts.WebHost.Rendering;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Imported;

/// <summary>
/// An account's import as a person reads it, in one line: Settings » Accounts renders it, the progress endpoint sends
/// it to import-progress.js, so that the page and its live updates say the same words.
/// </summary>
/// <param name="State">off, running, never (on and not run yet), failed (the last run failed) or idle.</param>
/// <param name="Text">The line in the reader's language: "Off", "Running: 12 of 40", "Last run …, letters in the system: 7".</param>
/// <param name="WaitingText">"3 waiting": messages in quarantine, shown as a link to <see cref="FailedUrl"/>; empty when none wait.</param>
public sealed record ImportState(
    Guid Account, string Title, string State, bool Running, int Done, int Total, string Text, int Waiting, string WaitingText, string WaitingTitle)
{
    /// <summary>Where the messages that could not be imported are listed, with their Retry.</summary>
    public const string FailedUrl = "/Email/Imported/Failed";

    public static ImportState Of(AccountImport import, IStringLocalizer text)
    {
        var (account, progress, waiting) = (import.Account, import.Progress, import.Waiting);
        var (state, line) = progress switch
        {
            { Running: true, Total: > 0 } => ("running", string.Format(text["Import.Running"].Value, progress.Done, progress.Total)),
            { Running: true } => ("running", text["Import.Starting"].Value),
            _ when !account.Imports => ("off", text["Import.Off"].Value),
            { FinishedAt: null } => ("never", text["Import.NotRunYet"].Value),
            { Problem: { Length: > 0 } problem } => ("failed", string.Format(text["Import.LastRunFailed"].Value, progress.FinishedAt.Value.Display(), problem)),
            _ => ("idle", string.Format(text["Import.LastRun"].Value, progress.FinishedAt.Value.Display(), progress.Imported)),
        };
        return new ImportState(
            account.Id, account.Title, state, progress.Running, progress.Done, progress.Total, line,
            waiting, waiting > 0 ? string.Format(text["Import.Waiting"].Value, waiting) : "", text["Import.WaitingTitle"].Value);
    }
}
