using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>Folder management: the folders of one account that the mail client shows.</summary>
/// <param name="ServerFolders">The account's folders as the server listed them when the page was shown.</param>
public sealed record ChooseVisibleFolders(Actor Actor, Guid AccountId, IReadOnlyList<string> Chosen, IReadOnlyList<string> ServerFolders);

public static class ChooseVisibleFoldersHandler
{
    public static async Task<Outcome> Handle(ChooseVisibleFolders command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await AccountQueries.FindAsync(session, command.AccountId, command.Actor, AccountUse.Use, cancellationToken) is null)
        {
            return AccountStream.Refused(command.AccountId);
        }

        return await SettingsStream.DecideAsync(session, command.Actor.UserId,
            settings => MailSettingsDecisions.ChooseVisibleFolders(
                command.Actor.UserId, settings, command.AccountId, command.Chosen, command.ServerFolders, command.Actor.UserId, now),
            cancellationToken, outcomeId: command.AccountId);
    }
}
