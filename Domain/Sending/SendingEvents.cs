using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Sending;

// What became of a message the user sent, on the stream of the account it was sent from. The events say how many
// recipients and which Message-ID, never what was written: the body stays in the outbox document.

/// <summary>
/// The outgoing server accepted the message. <paramref name="CopiedToSent"/> is false where the copy could not
/// be filed (the reason is in <paramref name="Detail"/>) or the provider files sent mail itself.
/// </summary>
public sealed record MailSent(
    Guid AccountId, Guid MailId, string MessageId, int Recipients, int Attempts, bool CopiedToSent, string Detail, Guid By, DateTimeOffset At)
    : IAuditedEvent, IOutcomeEvent
{
    public bool Succeeded => true;
}

/// <summary>
/// The message was not sent and waits in the user's Not sent list: the server refused it for good
/// (<paramref name="Permanent"/>), or it kept failing until the last retry. <paramref name="Detail"/> is what the server said.
/// </summary>
public sealed record MailNotSent(
    Guid AccountId, Guid MailId, string MessageId, int Recipients, int Attempts, bool Permanent, string Detail, Guid By, DateTimeOffset At)
    : IAuditedEvent, IOutcomeEvent
{
    public bool Succeeded => false;
}
