using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

// SaveAccount's folders part: which folders are checked for new mail, and where deleted and sent mail go. POP3 has
// only its inbox: no trash, no sent.
public static partial class AccountDecisions
{
    public const int MaxFolders = 200;

    private static IEnumerable<Violation> ValidateFolders(NormalisedForm form)
    {
        if (form.MonitoredFolders.Count > MaxFolders)
        {
            yield return new Violation(nameof(AccountForm.MonitoredFolders), AccountViolations.TooManyFolders);
        }
    }

    /// <summary>A new IMAP account always records its <see cref="FoldersSelected"/>; otherwise each folder setting only when it changed.</summary>
    private static IEnumerable<object> DecideFolders(Guid accountId, Account? current, NormalisedForm form, Guid by, DateTimeOffset at)
    {
        if (!(current?.MonitoredFolders ?? Account.DefaultFolders).SequenceEqual(form.MonitoredFolders, StringComparer.Ordinal)
            || current is null && form.Protocol == IncomingProtocol.Imap)
        {
            yield return new FoldersSelected(accountId, form.MonitoredFolders, by, at);
        }

        if (current?.TrashFolder != form.TrashFolder)
        {
            yield return new TrashFolderSelected(accountId, form.TrashFolder, by, at);
        }

        if (current?.SentFolder != form.SentFolder)
        {
            yield return new SentFolderSelected(accountId, form.SentFolder, by, at);
        }
    }
}
