namespace MailAccounts.Domain.Import;

/// <summary>
/// A letter in the system, as its events left it; also the document the imported mail list reads.
/// <paramref name="Sorted"/> orders the list: the letter's own date, or when it was imported where it has none.
/// <paramref name="AccountIds"/> are the accounts of its places, which the access rule reads.
/// </summary>
public sealed record Letter(
    Guid Id,
    string ContentHash,
    string RawSha256,
    long Size,
    LetterHeaders Headers,
    IReadOnlyList<LetterAttachment> Attachments,
    bool TooLarge,
    IReadOnlyList<LetterPlace> Places,
    IReadOnlyList<Guid> AccountIds,
    DateTimeOffset Sorted,
    DateTimeOffset ImportedAt,
    bool Deleted)
{
    public static IReadOnlyList<Type> ChangedBy { get; } = [typeof(LetterImported), typeof(LetterFoundAgain), typeof(LetterDeleted)];

    public static Letter? Evolve(Letter? state, object @event) => (state, @event) switch
    {
        (null, LetterImported e) => new Letter(
            e.LetterId, e.ContentHash, e.RawSha256, e.Size, e.Headers, e.Attachments, e.TooLarge, [e.Place], [e.Place.AccountId],
            e.Headers.Date ?? e.At, e.At, false),
        (null, _) => null,
        (_, LetterFoundAgain e) when !state.Places.Contains(e.Place) => state with
        {
            Places = [.. state.Places, e.Place],
            AccountIds = [.. state.AccountIds.Union([e.Place.AccountId])],
        },
        (_, LetterDeleted) => state with { Deleted = true },
        _ => state,
    };

    /// <summary>Whether it was found in this folder under this UIDVALIDITY with this UID (or UIDL).</summary>
    public bool IsAt(LetterPlace place) => Places.Contains(place);
}

/// <summary>
/// A message that could not be imported from one place, and why; retried on later runs until <see cref="ImportRules.MaxAttempts"/>,
/// and after that only when a user asks. <paramref name="LetterId"/> is set once it was imported after all.
/// </summary>
public sealed record QuarantinedMessage(
    Guid Id, LetterPlace Place, string Reason, int Attempts, bool RetryAsked, Guid? LetterId, DateTimeOffset FirstAt, DateTimeOffset LastAt)
{
    public static IReadOnlyList<Type> ChangedBy { get; } = [typeof(MessageQuarantined), typeof(QuarantineRetryAsked), typeof(QuarantinedMessageImported)];

    public bool Resolved => LetterId is not null;

    /// <summary>Whether the next run tries it again.</summary>
    public bool Due => !Resolved && (RetryAsked || Attempts < ImportRules.MaxAttempts);

    public static QuarantinedMessage? Evolve(QuarantinedMessage? state, object @event) => (state, @event) switch
    {
        (_, MessageQuarantined e) => new QuarantinedMessage(
            e.QuarantineId, e.Place, e.Reason, e.Attempts, false, null, state?.FirstAt ?? e.At, e.At),
        (null, _) => null,
        (_, QuarantineRetryAsked e) => state with { RetryAsked = true, LastAt = e.At },
        (_, QuarantinedMessageImported e) => state with { LetterId = e.LetterId, RetryAsked = false, LastAt = e.At },
        _ => state,
    };
}

public static class ImportRules
{
    /// <summary>How often a run tries a message that could not be imported before it waits for a user's Retry.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The first day imported when import is turned on and no day is chosen: the last 30 days.</summary>
    public static DateOnly DefaultSince(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(-30);

    /// <summary>
    /// The next attempt's number for a message that failed again: a retry asked for by a user starts the count
    /// afresh, so a user's Retry gives it as many tries as its first run had.
    /// </summary>
    public static int NextAttempt(QuarantinedMessage? previous) =>
        previous is null ? 1 : previous.RetryAsked ? 1 : previous.Attempts + 1;
}
