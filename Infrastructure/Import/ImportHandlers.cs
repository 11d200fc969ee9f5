using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using Wolverine;

namespace MailAccounts.Infrastructure.Import;

public static class ImportAccountHandler
{
    /// <summary>
    /// Runs on the durable import queue: one account per worker, several accounts at once. A run that used up its time
    /// slice queues its own continuation, behind the accounts already waiting.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(ImportAccount message, ImportEngine engine, CancellationToken cancellationToken)
    {
        var result = await engine.ImportAccountAsync(message.AccountId, message.By, cancellationToken, message.Continues);
        var next = new OutgoingMessages();
        if (result.More)
        {
            next.Add(message with { Continues = true });
        }

        return next;
    }
}

public static class ImportUidsHandler
{
    /// <summary>How long messages chosen by hand wait when the account is being imported by another worker, before they are tried again.</summary>
    public static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Imports the chosen messages; when another worker is importing the account, tries again a little later, so that a
    /// press of Import during a scheduled run is not lost.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(ImportUids message, ImportEngine engine, CancellationToken cancellationToken)
    {
        var result = await engine.ImportAccountAsync(message.AccountId, message.By, cancellationToken, only: (message.Folder, message.Uids));
        var next = new OutgoingMessages();
        if (result.Busy)
        {
            next.Add(message.DelayedFor(BusyRetry));
        }

        return next;
    }
}

public static class ImportMessagesHandler
{
    public const string NothingChosen = "Import.NothingChosen";

    /// <summary>The Import button: refused for an account the user may not use; otherwise queued, and the page answers at once.</summary>
    public static async Task<(Outcome, OutgoingMessages)> Handle(ImportMessages command, IQuerySession session, CancellationToken cancellationToken)
    {
        var messages = new OutgoingMessages();
        if (await AccountQueries.FindAsync(session, command.AccountId, command.Actor, AccountUse.Use, cancellationToken) is null)
        {
            return (AccountStream.Refused(command.AccountId), messages);
        }

        if (command.Uids.Count == 0 || string.IsNullOrWhiteSpace(command.Folder))
        {
            return (new Outcome(command.AccountId, [new Violation("", NothingChosen)]), messages);
        }

        messages.Add(new ImportUids(command.AccountId, command.Folder, [.. command.Uids.Distinct()], command.Actor.UserId));
        return (new Outcome(command.AccountId, []), messages);
    }
}
