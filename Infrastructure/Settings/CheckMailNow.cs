using Marten;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Mail;
using Wolverine;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>
/// The Check mail button: checks every account of the user at once, whatever the schedule, or the one account of a
/// row's Check button (<paramref name="AccountId"/>; an account the user may not use is not checked). Pages publish it
/// to the durable local queue and return at once; the counts appear when the check has recorded them.
/// </summary>
public sealed record CheckMailNow(Guid UserId, Guid? AccountId = null);

public static class CheckMailNowHandler
{
    /// <summary>
    /// Takes the store, not Wolverine's session, so that no transaction is open while the servers are signed in to
    /// (a slow server would otherwise hold a database connection for as long): the statuses are saved at the end.
    /// The accounts that import their mail have their imports queued once checked, and every account checked has its new
    /// mail read for bounces.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(
        CheckMailNow command, IDocumentStore store, MailChecker checker, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var checkedAccounts = await checker.CheckAsync(session, command.UserId, now, cancellationToken, command.AccountId);
        await session.SaveChangesAsync(cancellationToken);
        var next = new OutgoingMessages();
        next.AddRange(checkedAccounts.Where(a => a.Imports).Select(account => new ImportAccount(account.Id, command.UserId)));
        next.AddRange(checkedAccounts.Where(a => a.Succeeded).Select(account => new Verification.ScanForBounces(account.Id)));
        return next;
    }
}
