using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

/// <summary>What one test of an account's settings found: a connection test, or a test e-mail to <paramref name="TestEmailTo"/>.</summary>
/// <param name="FailedStage">The stage that failed (connect, TLS, sign-in, …); none when the test passed.</param>
/// <param name="Failure">The facts of the failure, for advice in the reader's language; none when the test passed.</param>
public sealed record AccountTest(bool Succeeded, string? FailedStage, string Detail, string? TestEmailTo = null, TestFailure? Failure = null);

public static partial class AccountDecisions
{
    /// <summary>
    /// The outcome event of a test, for the account's history and its health: <see cref="TestEmailSent"/> for a test
    /// e-mail, <see cref="ConnectionTested"/> otherwise. A test that passed names no failed stage and carries no
    /// failure's facts; one that failed carries them, so that its history gives advice. Recorded on an account being
    /// created too, so it takes the account's id rather than its state.
    /// </summary>
    public static IOutcomeEvent RecordTest(Guid accountId, AccountTest test, Guid by, DateTimeOffset at)
    {
        var failure = test.Succeeded ? null : test.Failure;
        return test.TestEmailTo is { } to
            ? new TestEmailSent(accountId, to, test.Succeeded, test.Detail, by, at, failure)
            : new ConnectionTested(accountId, test.Succeeded, test.Succeeded ? null : test.FailedStage, test.Detail, by, at, failure);
    }
}
