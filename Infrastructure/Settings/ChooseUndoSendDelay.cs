using Marten;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>General settings » Undo send: how long Send waits before the message goes.</summary>
public sealed record ChooseUndoSendDelay(Guid ActorId, int Seconds);

public static class ChooseUndoSendDelayHandler
{
    public static Task<Outcome> Handle(ChooseUndoSendDelay command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        SettingsStream.DecideAsync(session, command.ActorId,
            settings => ChoosingUndoSendDelay.ChooseUndoSendDelay(command.ActorId, settings, command.Seconds, command.ActorId, now), cancellationToken);
}
