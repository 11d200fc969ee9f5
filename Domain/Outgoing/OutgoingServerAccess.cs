using MailAccounts.Domain.Accounts;

namespace MailAccounts.Domain.Outgoing;

/// <summary>
/// Who may read an outgoing server's settings history: a user's own server is theirs alone; the system's default
/// server is the administrators'. Beside <see cref="AccountAccess"/>, the one rule for accounts.
/// </summary>
public static class OutgoingServerAccess
{
    public static bool MayAudit(OutgoingServer server, Actor actor) =>
        server.IsSystemDefault ? actor.IsAdministrator : server.OwnerId == actor.UserId;
}
