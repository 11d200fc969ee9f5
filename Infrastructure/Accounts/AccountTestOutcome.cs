using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// What a test on the account form answers: the report, and where it was recorded. A saved account has the test in
/// its history already and moves to <paramref name="Version"/>; a new one carries <paramref name="Evidence"/>, the
/// sealed result, until it is saved. Refused, it holds the violation and no report.
/// </summary>
public sealed record AccountTestOutcome(Guid Id, IReadOnlyList<Violation> Violations, TestReport? Report = null, string? Evidence = null, long? Version = null)
    : Outcome(Id, Violations)
{
    public static AccountTestOutcome Refused(Guid? accountId, string code, string? detail = null) =>
        new(accountId ?? Guid.Empty, [new Violation("", code, detail)]);
}

/// <summary>Why a test did not run; the codes are the messages the form shows.</summary>
public static class AccountTestRefusals
{
    public const string Incomplete = "Test.Incomplete";
    public const string TooMany = "Test.TooMany";
    public const string RecipientInvalid = "Test.RecipientInvalid";
    public const string NoOutgoingServer = "Test.NoOutgoingServer";

    /// <summary>The detail of <see cref="TooMany"/>: whole seconds until the next test is allowed.</summary>
    public static string Seconds(TimeSpan retryAfter) =>
        ((int)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Where a test's outcome goes: a saved account's stream, or a sealed record for an account not saved yet.</summary>
public static class AccountTestRecord
{
    public static AccountTestOutcome Record(
        IDocumentSession session, TestEvidence evidence, Actor actor, AccountForForm? account, TestReport report, string? testEmailTo, string tested, DateTimeOffset now)
    {
        var test = Of(actor.UserId, report, testEmailTo, tested, now);
        if (account is { } saved)
        {
            // Appended without an expected version: a test result never conflicts with a settings change.
            session.Events.Append(saved.Account.Id, Event(saved.Account.Id, test));
            return new AccountTestOutcome(saved.Account.Id, [], report, Version: saved.Version + 1);
        }

        return new AccountTestOutcome(Guid.Empty, [], report, Evidence: evidence.Seal(test));
    }

    /// <summary>
    /// What is kept of a report: the failed stage, the one-line summary and, so that the history and the accounts list
    /// give the same advice as the report did, the failure's facts.
    /// </summary>
    public static RecordedTest Of(Guid userId, TestReport report, string? testEmailTo, string tested, DateTimeOffset now) =>
        new(userId, report.Succeeded, report.Failure?.Stage.ToString(), report.Summary, testEmailTo, now, tested, MailAdvice.Recorded(report.Failure?.Facts));

    public static object Event(Guid accountId, RecordedTest test) =>
        AccountDecisions.RecordTest(accountId, new AccountTest(test.Succeeded, test.FailedStage, test.Detail, test.TestEmailTo, test.Failure), test.UserId, test.At);
}
