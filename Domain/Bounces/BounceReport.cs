namespace MailAccounts.Domain.Bounces;

/// <summary>What a message that came back is, as the detector reads it: its structure first, its wording last.</summary>
public enum ReportKind
{
    /// <summary>Ordinary mail, or a report this product does not act on.</summary>
    NotABounce,

    /// <summary>Delivery failed for at least one recipient (RFC 3464 <c>Action: failed</c>, or a known non-standard format).</summary>
    Bounce,

    /// <summary>Delivery is late and still being tried (<c>Action: delayed</c>): a warning, never a bounce.</summary>
    Delayed,

    /// <summary>An automatic reply: out of office, vacation (RFC 3834, <c>X-Autoreply</c>, <c>Precedence</c>).</summary>
    AutoReply,

    /// <summary>A read receipt (RFC 8098 MDN).</summary>
    ReadReceipt,

    /// <summary>A complaint (RFC 5965 ARF feedback report).</summary>
    Complaint,

    /// <summary>A challenge/response message asking the sender to confirm they are human.</summary>
    Challenge,
}

/// <summary>
/// What a failed delivery says about the address. <see cref="Hard"/>: the address does not exist or takes no mail
/// (unknown user, unknown host, has moved, not accepting mail). <see cref="Soft"/>: the recipient's side, for now
/// (mailbox full, suspended, expired). <see cref="SenderSide"/>: the sender or the message was refused (blocked,
/// reputation, spam, policy, authentication, relaying): says nothing about the address.
/// </summary>
public enum BounceClass
{
    Hard,
    Soft,
    SenderSide,
}

/// <summary>
/// One recipient a report says was not delivered. <paramref name="Address"/> is the address the mail was sent to
/// (the original recipient where the report gives it). <paramref name="Reason"/> is one of sisimai's reason names
/// (<c>userunknown</c>, <c>mailboxfull</c>, <c>blocked</c>, …). <paramref name="Status"/> is the enhanced status code
/// (<c>5.1.1</c>) where there is one, <paramref name="ReplyCode"/> the SMTP reply code, <paramref name="Diagnostic"/> the
/// server's own words.
/// </summary>
public sealed record BouncedRecipient(string Address, BounceClass Class, string Reason, string? Status, int? ReplyCode, string Diagnostic);

/// <summary>
/// The detector's reading of one message. <paramref name="OriginalMessageId"/> is the Message-ID of the message that
/// failed (from the returned message or its headers), <paramref name="EnvelopeId"/> the DSN's
/// <c>Original-Envelope-Id</c> (our SMTP ENVID); either links the report to mail this system sent.
/// <paramref name="Format"/> names what recognised it (<c>dsn</c>, <c>qmail</c>, <c>exchange</c>, …) and
/// <paramref name="Why"/> says in a sentence why it is or is not a bounce, for administrators.
/// </summary>
public sealed record BounceReport(
    ReportKind Kind,
    IReadOnlyList<BouncedRecipient> Recipients,
    string? OriginalMessageId,
    string? EnvelopeId,
    string Format,
    string Why)
{
    public bool IsBounce => Kind == ReportKind.Bounce && Recipients.Count > 0;

    public static BounceReport Not(ReportKind kind, string why) => new(kind, [], null, null, "", why);
}
