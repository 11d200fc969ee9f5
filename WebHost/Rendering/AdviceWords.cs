using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Rendering;

/// <summary>
/// A failure recorded in an account's events, as a page shows it: the advice (its key for the page's hooks, its
/// sentence in the reader's language) and, for the details line, what the server said.
/// </summary>
public sealed record RecordedAdvice(string Key, string Text, string ServerWords);

/// <summary>The advice for a mail failure in the reader's language (<c>Advice.*</c> in the shared resources).</summary>
public static class AdviceWords
{
    /// <summary>The line given when an event kept no facts to advise on (recorded before they were kept, or nothing better to say).</summary>
    public const string TestFailedSeeBelow = "Advice.TestFailedSeeBelow";

    /// <summary>The same for a message the server did not take.</summary>
    public const string NotSentSeeBelow = "Advice.NotSentSeeBelow";

    /// <summary>The advice's key and sentence; null when the failure has no facts or no advice.</summary>
    public static (string Key, string Text)? Advice(this IStringLocalizer text, MailFailure? failure) =>
        failure is not null && MailAdvice.For(failure) is { } advice
            ? (advice.Key, text[advice.Key, [.. advice.Values]].Value)
            : null;

    /// <summary>
    /// The advice for a failure an event recorded, never blank: from its facts where it kept them and they lead to
    /// advice, else the generic line <paramref name="generic"/>. The details line holds the server's own words where
    /// the facts have them, else the event's stored detail, as it was recorded.
    /// </summary>
    public static RecordedAdvice Recorded(this IStringLocalizer text, TestFailure? failure, string detail, string generic = TestFailedSeeBelow)
    {
        var facts = MailAdvice.Facts(failure);
        var words = facts is { Words: { Length: > 0 } said, Kind: not FailureKind.AnotherProtocol } ? said : detail;
        return text.Advice(facts) is { } advice
            ? new RecordedAdvice(advice.Key, advice.Text, words)
            : new RecordedAdvice(generic, text[generic].Value, detail);
    }
}
