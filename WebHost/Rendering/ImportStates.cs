using MailAccounts.Infrastructure.Import;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Rendering;

/// <summary>
/// An account's import in a few words, as the client's folder pane shows it before import-progress.js takes over:
/// "Importing n of m" while a run goes on, "Imported k" otherwise.
/// </summary>
public static class ImportStates
{
    /// <summary>The accounts whose import state the pane shows: those that import, and any whose run is going on.</summary>
    public static IEnumerable<AccountImport> Shown(IEnumerable<AccountImport> imports) =>
        imports.Where(i => i.Account.Imports || i.Progress.Running);

    public static string Text(AccountImport import, IStringLocalizer text) =>
        import.Progress.Running
            ? string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Imported.Importing"].Value, import.Progress.Done, import.Progress.Total)
            : string.Format(System.Globalization.CultureInfo.CurrentCulture, text["Imported.ImportedCount"].Value, import.Progress.Imported);
}
