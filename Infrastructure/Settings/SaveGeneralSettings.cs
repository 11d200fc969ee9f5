using Marten;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Common;
using Wolverine;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>Settings » General settings, Save.</summary>
public sealed record SaveGeneralSettings(Guid ActorId, GeneralSettingsForm Form);

public static class SaveGeneralSettingsHandler
{
    public static async Task<(Outcome, OutgoingMessages)> Handle(
        SaveGeneralSettings command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A new interval starts a new chain of scheduled checks; the old chain sees the change and ends.
        var messages = new OutgoingMessages();
        var outcome = await SettingsStream.DecideAsync(session, command.ActorId,
            settings => MailSettingsDecisions.SaveGeneralSettings(command.ActorId, settings, command.Form, command.ActorId, now), cancellationToken,
            accepted: decision =>
            {
                if (decision.Events.OfType<CheckIntervalChanged>().SingleOrDefault() is { Minutes: > 0 } changed)
                {
                    messages.Add(MailCheckSchedule.Start(command.ActorId, changed.Minutes, changed.At));
                }
            });
        return (outcome, messages);
    }
}
