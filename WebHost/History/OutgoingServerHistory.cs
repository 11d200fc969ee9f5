using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Outgoing;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.History;

/// <summary>The history of one outgoing server, for those <see cref="OutgoingServerAccess"/> lets audit it.</summary>
public static class OutgoingServerHistory
{
    /// <summary>The server's history, or null when it does not exist or the viewer may not audit it (the page then answers 404).</summary>
    public static async Task<HistorySubject?> FindAsync(IQuerySession session, IStringLocalizer text, Guid id, Actor viewer, CancellationToken cancellationToken) =>
        await OutgoingServerQueries.FindToAuditAsync(session, id, viewer, cancellationToken) is { } server
            ? new HistorySubject(server.Label, HistorySource.OutgoingServer(id), (_, _) => Task.FromResult<Func<SettingChange, DescribedChange>>(c => Describe(text, c)),
                $"/Email/Settings/OutgoingServers/History/{id}", $"outgoing-server-{id}-history")
            : null;

    private static DescribedChange Describe(IStringLocalizer text, SettingChange change) => change.Setting == Account.PasswordSetting
        ? new(text["Account.Password"].Value, null, change.After is null || change.After.Length == 0 ? null : text["History.PasswordChanged"].Value)
        : new(change.Setting == "Port" ? text["Account.Port"].Value : text["Outgoing." + change.Setting].Value, text.Value(change.Before), text.Value(change.After));
}
