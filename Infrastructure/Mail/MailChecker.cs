using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Storage;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// What the last check of an account found: live state, not history, so it is a plain document that each check
/// overwrites. <see cref="Checks"/> counts the checks, for the specs and for diagnostics. A failed check keeps the
/// facts of its failure (<see cref="Failure"/>), so that the page gives advice in its reader's language; checks stored
/// before the facts were kept have only <see cref="Detail"/>, in English.
/// </summary>
public sealed record MailboxStatus(
    Guid Id,
    Guid UserId,
    DateTimeOffset CheckedAt,
    bool Succeeded,
    string Detail,
    IReadOnlyList<FolderCount> Folders,
    int Checks,
    MailFailure? Failure = null)
{
    public int Unread => Folders.Sum(f => f.Unread);
}

/// <summary>An account a check signed in to: whether it imports its mail, and whether the check succeeded.</summary>
public sealed record CheckedAccount(Guid Id, bool Imports, bool Succeeded);

/// <summary>
/// Checks a user's accounts: signs in (through the pool, as the client does) and counts the messages of the monitored
/// folders. A check the caller cancelled records nothing: the account's last status stays as it was. Each account's
/// status is saved as soon as it is known, so a page watching the check shows each account's result when it lands,
/// not all of them when the slowest server has answered.
/// </summary>
public sealed class MailChecker(MailSessions sessions)
{
    /// <summary>
    /// Checks every account the user may use, or only <paramref name="only"/> when one is named (and the user may use it).
    /// Answers the accounts checked: the caller queues the imports of those that import their mail, and the reading of
    /// every one of them for bounces.
    /// </summary>
    public async Task<IReadOnlyList<CheckedAccount>> CheckAsync(IDocumentSession session, Guid userId, DateTimeOffset now, CancellationToken cancellationToken, Guid? only = null)
    {
        var user = await session.LoadOrReplayAsync<MailAccounts.Domain.Users.User>(userId, cancellationToken);
        var checkedAccounts = new List<CheckedAccount>();
        if (user is not { IsActive: true })
        {
            return checkedAccounts;
        }

        var actor = new Actor(userId, user.Role == MailAccounts.Domain.Users.UserRole.Administrator);
        foreach (var account in await AccountQueries.ListAsync(session, actor, AccountUse.Use, cancellationToken))
        {
            // An account that needs reconnecting waits for its user: checking it could only fail again, every interval.
            if (account.Incoming is null || account.NeedsReconnecting || (only is { } one && account.Id != one))
            {
                continue;
            }

            var previous = await session.LoadAsync<MailboxStatus>(account.Id, cancellationToken);
            var counted = await sessions.ReadAsync(session, account, mailbox => mailbox.CountAsync(account.MonitoredFolders, cancellationToken), cancellationToken);
            // As the history writes a failed test: the stage that failed, then what the server said.
            var detail = counted.FailedStage is { } stage ? $"{stage}: {counted.Problem}" : counted.Problem ?? "";
            session.Store(new MailboxStatus(account.Id, userId, now, counted.Succeeded, detail, counted.Value ?? [], (previous?.Checks ?? 0) + 1,
                counted.Failure));
            await session.SaveChangesAsync(cancellationToken);
            checkedAccounts.Add(new CheckedAccount(account.Id, account.Imports, counted.Succeeded));
        }

        return checkedAccounts;
    }
}
