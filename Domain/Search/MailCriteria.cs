namespace MailAccounts.Domain.Search;

// One criteria object for every search: the advanced form and the query words both make it, and both back ends (IMAP
// SEARCH on the servers, full-text search over imported mail) translate it, so that the three cannot drift apart.

/// <summary>Where a word is looked for. <see cref="Any"/> is the box's default: From, To, Cc and Subject.</summary>
public enum TextField
{
    Any,
    From,
    To,
    Subject,
    Body,

    /// <summary>The whole message: header and body (IMAP <c>TEXT</c>).</summary>
    Whole,
}

/// <summary>A word or a quoted phrase in a field; <paramref name="Negated"/>: the message must not contain it.</summary>
public sealed record TextTerm(TextField Field, string Text, bool Phrase = false, bool Negated = false);

/// <summary>
/// What a message must be to be found: every clause of <paramref name="Text"/> (each clause one term, or several joined
/// by OR: any of them will do), and every condition given. <paramref name="Since"/> is the first day included and
/// <paramref name="Before"/> the first day no longer included (as IMAP SINCE and BEFORE count internal dates).
/// <paramref name="Larger"/> and <paramref name="Smaller"/> are sizes in bytes.
/// </summary>
public sealed record MailCriteria(
    IReadOnlyList<IReadOnlyList<TextTerm>> Text,
    bool? Unread = null,
    bool? Flagged = null,
    bool? Answered = null,
    bool? HasAttachment = null,
    DateOnly? Since = null,
    DateOnly? Before = null,
    long? Larger = null,
    long? Smaller = null)
{
    public static MailCriteria Everything { get; } = new([]);

    /// <summary>Whether the criteria ask for anything at all: an empty search lists the folder as it is.</summary>
    public bool IsEmpty => Text.Count == 0 && Unread is null && Flagged is null && Answered is null && HasAttachment is null
        && Since is null && Before is null && Larger is null && Smaller is null;
}
