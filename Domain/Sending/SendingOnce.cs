using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Sending;

/// <summary>Where a message of the outbox stands, as far as a Send or a Save of the compose form is concerned.</summary>
public enum MailStage
{
    /// <summary>Never stored: the form's first Send or Save.</summary>
    New,
    Draft,
    NotSent,

    /// <summary>On the durable queue, waiting for the outgoing server.</summary>
    Queued,

    /// <summary>The outgoing server took it.</summary>
    Sent,
}

/// <summary>A message goes once: the outbox's idempotency rule, keyed by the message's id.</summary>
public static class SendingOnce
{
    /// <summary>
    /// A message on its way or sent already can be neither changed nor sent again. The browser's Back after Send, a
    /// second tab or a replayed post all bring back the same message id, and get this refusal instead of a second copy.
    /// </summary>
    public static Violation? Refusal(MailStage stage) =>
        stage is MailStage.Queued or MailStage.Sent ? new Violation("", SendingViolations.AlreadySent) : null;

    /// <summary>Whether the compose page may offer the message as a form: not once it is queued or sent.</summary>
    public static bool MayCompose(MailStage stage) => Refusal(stage) is null;
}
