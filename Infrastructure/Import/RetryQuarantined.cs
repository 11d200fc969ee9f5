using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Common;
using Wolverine;

namespace MailAccounts.Infrastructure.Import;

/// <summary>A user asks for a message that could not be imported to be tried again, however often it failed before.</summary>
public sealed record RetryQuarantined(Actor Actor, Guid QuarantineId);

public static class RetryQuarantinedHandler
{
    public const string Unknown = "Import.UnknownQuarantined";

    public static async Task<(Outcome, OutgoingMessages)> Handle(
        RetryQuarantined command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messages = new OutgoingMessages();
        if (await ImportedMail.FindQuarantinedAsync(session, command.Actor, command.QuarantineId, cancellationToken) is not { Resolved: false } found)
        {
            return (new Outcome(command.QuarantineId, [new Violation("", Unknown)]), messages);
        }

        var outcome = await EventStreams.DecideAsync<QuarantinedMessage>(session, command.QuarantineId,
            _ => Decision.Accept([new QuarantineRetryAsked(command.QuarantineId, command.Actor.UserId, now)]), cancellationToken);
        // The retry runs at once, with the account's next import, in the same transaction as the request for it.
        messages.Add(new ImportAccount(found.Place.AccountId, command.Actor.UserId));
        return (outcome, messages);
    }
}
