using Marten;
using MailAccounts.Domain.Sending;

namespace MailAccounts.Infrastructure.Sending;

public enum OutgoingMailStatus
{
    /// <summary>Saved but not sent: the user has not pressed Send, or the form could not be sent as it was.</summary>
    Draft,

    /// <summary>Waiting for the outgoing server, on the durable queue; <see cref="OutgoingMail.NextAttemptAt"/> says when it tries again.</summary>
    Queued,

    /// <summary>Refused for good, or failed until the last retry: waits in the Not sent list to be edited and sent again.</summary>
    NotSent,
}

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>
/// A message the user wrote, kept until the outgoing server has it: the outbox. This is the only place the body
/// is stored, and only until it is sent (then the copy in the Sent folder and the recipients' are the mail); the
/// account's events record the sending (recipients, Message-ID, result), never the text.
/// </summary>
/// <param name="Sending">
/// Attempt <paramref name="Attempts"/> is claimed and under way: set, with a version check, before the SMTP server is
/// contacted, so that two deliveries of one attempt cannot both send; cleared with the attempt's outcome. Found still
/// set when the attempt is delivered again, it means either that another host is sending it right now or that the host
/// stopped during it: after <paramref name="ClaimedAt"/> plus the longest an attempt can take, it is tried again.
/// </param>
/// <param name="ProblemKey">The page's own words for <paramref name="Problem"/> (a resource key) where the product refused, not a server.</param>
public sealed record OutgoingMail(
    Guid Id,
    Guid UserId,
    Guid AccountId,
    string To,
    string Cc,
    string Bcc,
    string Subject,
    string Body,
    bool PlainText,
    string? InReplyTo,
    IReadOnlyList<string> References,
    IReadOnlyList<MailAttachment> Attachments,
    OutgoingMailStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Charset = "utf-8",
    string? MessageId = null,
    DateTimeOffset? QueuedAt = null,
    int Attempts = 0,
    DateTimeOffset? NextAttemptAt = null,
    string? Problem = null,
    bool Sending = false,
    string? ProblemKey = null,
    DateTimeOffset? ClaimedAt = null)
{
    public long AttachmentBytes => Attachments.Sum(a => (long)a.Content.Length);

    /// <summary>
    /// What the message weighs in the outbox: its texts and attachments. Stored with the document (a computed member
    /// is serialised too), so that a user's total is summed in the database without reading any attachment.
    /// </summary>
    public long Bytes => AttachmentBytes + System.Text.Encoding.UTF8.GetByteCount(Body) + To.Length + Cc.Length + Bcc.Length + Subject.Length;

    public DraftForm Form => new(To, Cc, Bcc, Subject, Body, PlainText);

    /// <summary>On its way: no longer the user's to edit.</summary>
    public bool Locked => Status == OutgoingMailStatus.Queued;
}

/// <summary>A row of the Outbox: what the list shows, without the body or any attachment.</summary>
public sealed record OutboxRow(
    Guid Id, Guid AccountId, string To, string Subject, OutgoingMailStatus Status, DateTimeOffset UpdatedAt, int Attempts, DateTimeOffset? NextAttemptAt,
    string? Problem, string? ProblemKey)
{
    public bool Locked => Status == OutgoingMailStatus.Queued;
}

/// <summary>How many unsent messages a user keeps, and what they weigh together.</summary>
public sealed record KeptMail(int Count, long Bytes);

public static class OutgoingMailQueries
{
    /// <summary>
    /// The user's drafts, the messages on their way and those not sent, newest first: only the list's fields are read
    /// from the database (a Marten Select projection), never a body or attachment, however many drafts there are.
    /// </summary>
    public static async Task<IReadOnlyList<OutboxRow>> UnsentOfAsync(IQuerySession session, Guid userId, CancellationToken cancellationToken) =>
        await session.Query<OutgoingMail>()
            .Where(m => m.UserId == userId)
            .OrderByDescending(m => m.UpdatedAt)
            .Select(m => new OutboxRow(m.Id, m.AccountId, m.To, m.Subject, m.Status, m.UpdatedAt, m.Attempts, m.NextAttemptAt, m.Problem, m.ProblemKey))
            .ToListAsync(cancellationToken);

    /// <summary>The user's unsent messages besides <paramref name="exceptMailId"/>: counted and weighed in the database.</summary>
    public static async Task<KeptMail> KeptByAsync(IQuerySession session, Guid userId, Guid exceptMailId, CancellationToken cancellationToken)
    {
        var sizes = await session.Query<OutgoingMail>()
            .Where(m => m.UserId == userId && m.Id != exceptMailId)
            .Select(m => m.Bytes)
            .ToListAsync(cancellationToken);
        return new KeptMail(sizes.Count, sizes.Sum());
    }

    public static Task<int> NotSentCountAsync(IQuerySession session, Guid userId, CancellationToken cancellationToken) =>
        session.Query<OutgoingMail>().CountAsync(m => m.UserId == userId && m.Status == OutgoingMailStatus.NotSent, cancellationToken);

    /// <summary>
    /// Where the message stands: its outbox document while it is unsent or on its way, the small record of a sent
    /// message once the outbox document is gone. <paramref name="stored"/> is the outbox document where it is loaded already.
    /// </summary>
    public static async Task<MailStage> StageAsync(IQuerySession session, Guid mailId, OutgoingMail? stored, CancellationToken cancellationToken) =>
        stored is { } mail
            ? mail.Status switch
            {
                OutgoingMailStatus.Queued => MailStage.Queued,
                OutgoingMailStatus.NotSent => MailStage.NotSent,
                _ => MailStage.Draft,
            }
            : await session.LoadAsync<SentMail>(mailId, cancellationToken) is not null ? MailStage.Sent : MailStage.New;

    /// <summary>The message when it is this user's; otherwise null, which pages answer with 404.</summary>
    public static async Task<OutgoingMail?> FindOwnedAsync(IQuerySession session, Guid mailId, Guid userId, CancellationToken cancellationToken) =>
        await session.LoadAsync<OutgoingMail>(mailId, cancellationToken) is { } mail && mail.UserId == userId ? mail : null;
}
