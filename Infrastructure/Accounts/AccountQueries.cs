using Marten;
using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// Every page and handler loads accounts here, so that <see cref="AccountAccess"/> is applied without exception.
/// Unknown and forbidden look the same: null, which pages answer with 404.
/// </summary>
public static class AccountQueries
{
    public static async Task<Account?> FindAsync(IQuerySession session, Guid accountId, Actor viewer, AccountUse use, CancellationToken cancellationToken)
    {
        var account = await session.LoadAsync<Account>(accountId, cancellationToken);
        return account is not null && AccountAccess.Allows(account, viewer, use) ? account : null;
    }

    /// <summary>The accounts the viewer may use this way, by title: their own, and group accounts where the rule lets them.</summary>
    public static async Task<IReadOnlyList<Account>> ListAsync(IQuerySession session, Actor viewer, AccountUse use, CancellationToken cancellationToken)
    {
        var userId = viewer.UserId;
        var candidates = viewer.IsAdministrator && use is AccountUse.Audit or AccountUse.Administer
            ? await session.Query<Account>().Where(a => !a.Deleted).ToListAsync(cancellationToken)
            : await session.Query<Account>().Where(a => !a.Deleted && (a.OwnerId == userId || a.Kind == AccountKind.Group)).ToListAsync(cancellationToken);
        return candidates
            .Where(a => AccountAccess.Allows(a, viewer, use))
            .OrderBy(a => a.Kind)
            .ThenBy(a => a.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToArray();
    }
}
