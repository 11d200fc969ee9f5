using JasperFx;
using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Common;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// Undo after Send: the message becomes a draft again while it still waits out the undo time. The delivery that
/// was scheduled for it stays on the durable queue and, finding a draft, sends nothing.
/// </summary>
public sealed record UndoSend(Guid UserId, Guid MailId);

public static class UndoSendHandler
{
    public static async Task<Outcome> Handle(UndoSend command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mail = await OutgoingMailQueries.FindOwnedAsync(session, command.MailId, command.UserId, cancellationToken);
        if (mail is null)
        {
            var sent = await session.LoadAsync<SentMail>(command.MailId, cancellationToken);
            return sent is not null && sent.UserId == command.UserId
                ? Refused(command, UndoingSend.UndoSend(sent.AccountId, sent.Id, sent.MessageId, SendingStage.Sent, command.UserId, now))
                : new Outcome(command.MailId, [new Violation("", SendingViolations.Unknown)]);
        }

        var stage = mail switch
        {
            { Status: OutgoingMailStatus.Queued, Attempts: 0, Sending: false } => SendingStage.Waiting,
            { Status: OutgoingMailStatus.Queued } => SendingStage.Attempted,
            _ => SendingStage.NotOnItsWay,
        };
        var decision = UndoingSend.UndoSend(mail.AccountId, mail.Id, mail.MessageId ?? "", stage, command.UserId, now);
        if (!decision.IsAccepted)
        {
            return Refused(command, decision);
        }

        // The version read above is checked on commit: a delivery that claimed its attempt meanwhile wins, and the
        // retry of this command finds the attempt under way and refuses.
        session.Store(mail with { Status = OutgoingMailStatus.Draft, MessageId = null, QueuedAt = null, NextAttemptAt = null, UpdatedAt = now });
        session.Events.Append(mail.AccountId, [.. decision.Events]);
        return new Outcome(mail.Id, []);
    }

    public static void Configure(HandlerChain chain) => chain.OnException<ConcurrencyException>().RetryTimes(2);

    private static Outcome Refused(UndoSend command, Decision decision) => new(command.MailId, decision.Violations);
}
