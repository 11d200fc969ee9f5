using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
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
        catch (Exception e) when (DatabaseError(e) is { } error)
        {
            return new([], (error as PostgresException)?.MessageText ?? error.Message);
        }
    }

    /// <summary>The database's own error however deeply Marten wrapped it: PostgreSQL's words, or the client's.</summary>
    private static NpgsqlException? DatabaseError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException error)
            {
                return error;
            }
        }

        return null;
    }
}
