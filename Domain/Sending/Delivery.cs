namespace MailAccounts.Domain.Sending;

/// <summary>What happens after an attempt to hand a message to the outgoing server failed.</summary>
public static class Delivery
{
    /// <summary>
    /// The wait before the next attempt, or null when the message goes to the Not sent list: the failure was
    /// permanent (a 5xx answer, a refused login), or every retry has been used.
    /// </summary>
    public static TimeSpan? NextRetry(int attemptsMade, bool temporary, IReadOnlyList<TimeSpan> delays) =>
        temporary && attemptsMade >= 1 && attemptsMade <= delays.Count ? delays[attemptsMade - 1] : null;
}
