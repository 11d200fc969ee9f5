using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>
/// Load → decide → append on a user's own settings. The stream is found from the actor, so nobody reaches another
/// user's settings: what a command names inside them (a signature, an account) its decision checks.
/// </summary>
public static class SettingsStream
{
    public static Task<Outcome> DecideAsync(
        IDocumentSession session, Guid userId, Func<MailSettings?, Decision> decide, CancellationToken cancellationToken,
        Guid? outcomeId = null, Action<Decision>? accepted = null) =>
        EventStreams.DecideAsync<MailSettings>(
            session, MailSettings.StreamFor(userId), decide, cancellationToken, outcomeId ?? userId,
            accepted is null ? null : (_, decision) => accepted(decision));
}
