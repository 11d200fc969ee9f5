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
        var stream = await session.Events.FetchForWriting<MailSettings>(MailSettings.StreamFor(command.ActorId), cancellationToken);
        var decision = MailSettingsDecisions.SaveGeneral(command.ActorId, stream.Aggregate, command.Form, command.ActorId, now);
        stream.AppendMany(decision.Events);

        // A new interval starts a new chain of scheduled checks; the old chain sees the change and ends.
        var messages = new OutgoingMessages();
        if (decision.Events.OfType<CheckIntervalChanged>().SingleOrDefault() is { Minutes: > 0 } changed)
        {
            messages.Add(MailCheckSchedule.Start(command.ActorId, changed.Minutes, changed.At));
        }

        return (Outcome.Of(command.ActorId, decision), messages);
    }
}
