using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Storage;
using Npgsql;

namespace MailAccounts.Infrastructure.Diagnostics;

/// <summary>One account's health as its events tell it, and the last check of its mailbox.</summary>
public sealed record AccountHealthRow(Account Account, AccountHealth? Health, MailboxStatus? Check);

/// <summary>
/// The health of every account an administrator may administer, or why it could not be read: a view's table damaged
/// or gone, which a rebuild repairs. <paramref name="Problem"/> is the database's own words.
/// </summary>
public sealed record AccountHealthReport(IReadOnlyList<AccountHealthRow> Rows, string? Problem);

/// <summary>The Diagnostics page's read: the knowledge of how Marten wraps the database's errors stays here.</summary>
public static class AccountHealthQuery
{
    public static async Task<AccountHealthReport> RunAsync(IQuerySession session, Actor viewer, CancellationToken cancellationToken)
    {
        try
        {
            var accounts = await AccountQueries.ListAsync(session, viewer, AccountUse.Administer, cancellationToken);
            var ids = accounts.Select(a => a.Id).ToArray();
            var health = (await session.LoadManyAsync<AccountHealth>(cancellationToken, ids)).ToDictionary(h => h.Id);
            var checks = (await session.LoadManyAsync<MailboxStatus>(cancellationToken, ids)).ToDictionary(c => c.Id);
            return new(accounts.Select(a => new AccountHealthRow(a, health.GetValueOrDefault(a.Id), checks.GetValueOrDefault(a.Id))).ToArray(), null);
        }
        catch (Exception e) when (DatabaseConnections.ClientFailure(e) is { } error)
        {
            // The connection that failed may no longer match the server: it is not handed out again.
            DatabaseConnections.DiscardPooled(session.DocumentStore);
            return new([], (error as PostgresException)?.MessageText ?? error.Message);
        }
    }
}
