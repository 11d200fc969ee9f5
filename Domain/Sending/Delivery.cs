namespace MailAccounts.Domain.Sending;

/// <summary>What happens after an attempt to hand a message to the outgoing server, and how the account's stream records it.</summary>
public static class Delivery
{
    /// <summary>
    /// The wait before the next attempt, or null when the message goes to the Not sent list: the failure was
    /// permanent (a 5xx answer, a refused login), or every retry has been used.
    /// </summary>
    public static TimeSpan? NextRetry(int attemptsMade, bool temporary, IReadOnlyList<TimeSpan> delays) =>
        temporary && attemptsMade >= 1 && attemptsMade <= delays.Count ? delays[attemptsMade - 1] : null;

    /// <summary>
    /// The server accepted the message after <paramref name="attempts"/> attempts: from here on it is never sent again.
    /// The event counts the recipients and names the Message-ID; what was written stays in the outbox.
    /// </summary>
    public static MailSent Sent(
        Guid accountId, Guid mailId, string messageId, int recipients, int attempts, bool copiedToSent, string detail, Guid by, DateTimeOffset at) =>
        new(accountId, mailId, messageId, recipients, attempts, copiedToSent, detail, by, at);

    /// <summary>
    /// The message waits in Not sent: refused for good (<paramref name="permanent"/>), or failing until the last retry.
    /// <paramref name="detail"/> is what the server (or the access rule) said.
    /// </summary>
    public static MailNotSent NotSent(
        Guid accountId, Guid mailId, string messageId, int recipients, int attempts, bool permanent, string detail, Guid by, DateTimeOffset at) =>
        new(accountId, mailId, messageId, recipients, attempts, permanent, detail, by, at);
}
