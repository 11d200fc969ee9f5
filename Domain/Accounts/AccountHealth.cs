using MailAccounts.Domain.Sending;

namespace MailAccounts.Domain.Accounts;

/// <summary>
/// How an account is doing, from its events: the last time a server answered well, since when it has been failing,
/// the last error and its stage, and how many messages were sent and not sent. <paramref name="LastFailure"/> holds the
/// facts of the last error when it was a test recorded with them, for advice in the reader's language.
/// </summary>
public sealed record AccountHealth(
    Guid Id,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? FailingSince,
    string? LastError,
    string? LastErrorStage,
    DateTimeOffset? LastErrorAt,
    int Sent,
    int NotSent,
    TestFailure? LastFailure = null)
{
    /// <summary>The events <see cref="Evolve"/> reads: the account's creation and the outcomes of talking to its servers.</summary>
    public static IReadOnlyList<Type> ChangedBy { get; } =
        [typeof(AccountCreated), typeof(ConnectionTested), typeof(TestEmailSent), typeof(MailSent), typeof(MailNotSent),
            typeof(AuthorisationLost)];

    public static AccountHealth? Evolve(AccountHealth? state, object @event) => (state, @event) switch
    {
        (_, AccountCreated e) => new AccountHealth(e.AccountId, null, null, null, null, null, 0, 0),
        (null, _) => null,
        (_, ConnectionTested { Succeeded: true } e) => state.Succeeded(e.At),
        (_, ConnectionTested e) => state.Failed(e.FailedStage, e.Detail, e.At, e.Failure),
        (_, TestEmailSent { Succeeded: true } e) => state.Succeeded(e.At),
        (_, TestEmailSent e) => state.Failed("Sending", e.Detail, e.At, e.Failure),
        (_, MailSent e) => state.Succeeded(e.At) with { Sent = state.Sent + 1 },
        // Signing in is what failed: the provider refused the token's refresh, in its own words.
        (_, AuthorisationLost e) => state.Failed("SignIn", e.Reason, e.At, null),
        (_, MailNotSent e) => state.Failed("Sending", e.Detail, e.At, null) with { NotSent = state.NotSent + 1 },
        _ => state,
    };

    private AccountHealth Succeeded(DateTimeOffset at) => this with { LastSuccessAt = at, FailingSince = null };

    private AccountHealth Failed(string? stage, string detail, DateTimeOffset at, TestFailure? failure) =>
        this with { FailingSince = FailingSince ?? at, LastError = detail, LastErrorStage = stage, LastErrorAt = at, LastFailure = failure };
}
