using Marten;
using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>An account as its form edits it: with the stream version the form is loaded at, so that Done over someone else's change is refused.</summary>
public sealed record AccountForForm(Account Account, long Version);

public static class AccountFormQuery
{
    /// <summary>The account the actor may configure, with its version; null for an unknown or forbidden one, which the form answers with 404.</summary>
    public static async Task<AccountForForm?> LoadAsync(IQuerySession session, Guid accountId, Actor actor, CancellationToken cancellationToken)
    {
        if (await AccountQueries.FindAsync(session, accountId, actor, AccountUse.Configure, cancellationToken) is not { } account)
        {
            return null;
        }

        var state = await session.Events.FetchStreamStateAsync(accountId, cancellationToken);
        return new AccountForForm(account, state?.Version ?? 0);
    }
}
