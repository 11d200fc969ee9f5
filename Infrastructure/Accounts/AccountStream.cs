using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>Load → authorise → decide → append for a command on one account.</summary>
public static class AccountStream
{
    /// <summary>
    /// What someone hears about an account they may not act on for this use: the same as about one that does not
    /// exist, so that nobody learns which ids are taken.
    /// </summary>
    public static readonly Violation Unknown = new("", AccountViolations.Unknown);

    public static Outcome Refused(Guid accountId) => new(accountId, [Unknown]);

    public static Task<Outcome> DecideAsync(
        IDocumentSession session, Guid accountId, Actor actor, AccountUse use, Func<Account, Decision> decide, CancellationToken cancellationToken,
        Action<Account, Decision>? accepted = null) =>
        EventStreams.DecideAsync<Account>(
            session, accountId,
            account => account is not null && AccountAccess.Allows(account, actor, use) ? decide(account) : Decision.Reject([Unknown]),
            cancellationToken,
            accepted: accepted is null ? null : (account, decision) => accepted(account!, decision));
}
