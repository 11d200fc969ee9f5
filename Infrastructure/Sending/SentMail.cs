namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// A message the outgoing server accepted, written in the same transaction that records the acceptance (and deletes
/// the outbox document). It keeps the MIME only until the copy is filed in the account's Sent folder, which
/// <see cref="FileSentCopy"/> does on its own, retried without ever sending again; then only this small record stays,
/// so that a late second Send of the same draft (a double click, another tab) finds the message sent.
/// </summary>
/// <param name="Recorded">
/// Whether <see cref="MailAccounts.Domain.Sending.MailSent"/> is on the account's stream. The acceptance commits alone
/// first, without touching the stream: an append that loses a race with another message of the same account then
/// retries the recording, never the sending.
/// </param>
/// <param name="RecipientAddresses">
/// The envelope's recipients, as sent: a bounce counts only for one of them, and a contact's correspondence lists the
/// message. <paramref name="Subject"/> is the subject it went with, for that list.
/// </param>
public sealed record SentMail(
    Guid Id,
    Guid UserId,
    Guid AccountId,
    string MessageId,
    DateTimeOffset SentAt,
    byte[]? Mime,
    int CopyAttempts = 0,
    DateTimeOffset? FiledAt = null,
    string? CopyProblem = null,
    int Recipients = 0,
    int Attempts = 0,
    bool CopyDue = false,
    string Detail = "",
    bool Recorded = true,
    string Subject = "",
    IReadOnlyList<string>? RecipientAddresses = null);
