using Marten;
using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Accounts;

public static class AccountQueries
{
    public static async Task<IReadOnlyList<Account>> ListOwnedByAsync(IQuerySession session, Guid userId, CancellationToken cancellationToken) =>
        await session.Query<Account>()
            .Where(a => a.OwnerId == userId && !a.Deleted)
            .OrderBy(a => a.Title)
            .ToListAsync(cancellationToken);

    /// <summary>The account when this user may see it; otherwise null, which pages answer with 404 so as not to reveal that it exists.</summary>
    public static async Task<Account?> FindVisibleToAsync(IQuerySession session, Guid accountId, Guid userId, CancellationToken cancellationToken)
    {
        var account = await session.LoadAsync<Account>(accountId, cancellationToken);
        return account is { Deleted: false } && account.OwnerId == userId ? account : null;
    }
}
