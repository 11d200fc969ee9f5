using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Sending;

/// <summary>
/// Undo after Send took the message back before the outgoing server heard of it: it is a draft again, and the
/// delivery that waits for the undo time finds nothing to send. On the stream of the account it was to be sent from.
/// </summary>
public sealed record MailSendingUndone(Guid AccountId, Guid MailId, string MessageId, Guid By, DateTimeOffset At) : IAuditedEvent;

/// <summary>Where a message the user pressed Send on stands, as far as Undo is concerned.</summary>
public enum SendingStage
{
    /// <summary>Queued, waiting out the undo time or its first attempt: no server has been contacted.</summary>
    Waiting,

    /// <summary>An attempt is under way or was made: the server may have it already.</summary>
    Attempted,

    /// <summary>The server accepted it.</summary>
    Sent,

    /// <summary>A draft, or back in Not sent: nothing is on its way.</summary>
    NotOnItsWay,
}

public static class UndoingSend
{
    /// <summary>The undo times General settings offers, in seconds; 0 sends at once.</summary>
    public static readonly IReadOnlyList<int> Choices = [0, 5, 10, 20, 30];

    /// <summary>
    /// Undo is honoured only while no attempt has started: once the outgoing server may have the message, taking it
    /// back would be a promise nobody can keep, so the user is told it went (or is going) instead.
    /// </summary>
    public static Decision UndoSend(Guid accountId, Guid mailId, string messageId, SendingStage stage, Guid by, DateTimeOffset at) =>
        stage switch
        {
            SendingStage.Waiting => Decision.Accept(new MailSendingUndone(accountId, mailId, messageId, by, at)),
            SendingStage.Sent => Decision.Reject([new Violation("", UndoViolations.UndoTooLateSent)]),
            SendingStage.Attempted => Decision.Reject([new Violation("", UndoViolations.UndoTooLateSending)]),
            _ => Decision.Reject([new Violation("", UndoViolations.UndoNothingToUndo)]),
        };
}

/// <summary>Why Undo after Send was refused: resource keys the page shows.</summary>
public static class UndoViolations
{
    /// <summary>The server accepted the message already.</summary>
    public const string UndoTooLateSent = "Sending.UndoTooLateSent";

    /// <summary>An attempt had started: the server may have it.</summary>
    public const string UndoTooLateSending = "Sending.UndoTooLateSending";

    /// <summary>Not on its way (undone already, a draft, or in Not sent).</summary>
    public const string UndoNothingToUndo = "Sending.UndoNothingToUndo";
}
