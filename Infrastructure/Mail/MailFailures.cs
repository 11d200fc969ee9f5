using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// The one failure rule for talking to mail servers: which exceptions are a server or the line misbehaving (to be
/// told to the user as a failed stage, never an error page), and what the user is told. A cancellation by the caller
/// is never one of them: the request was abandoned, so it is rethrown, not recorded as a failed stage or shown as a
/// server problem. A timeout of our own (a linked token that ran out) is a server that did not answer.
/// </summary>
public static class MailFailures
{
    /// <summary>The only exception filter of the mail code: true for server trouble, false when the caller cancelled.</summary>
    public static bool IsExpected(Exception e, CancellationToken caller) =>
        !caller.IsCancellationRequested
        && e is IOException or TimeoutException or SocketException or OperationCanceledException or ProtocolException or CommandException
            or FolderNotFoundException or MessageNotFoundException or AuthenticationException or NotSupportedException
            or SslHandshakeException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or System.Security.Cryptography.CryptographicException;

    /// <summary>
    /// The connection itself failed (a read timed out, the line dropped, the stream ended mid-answer), as opposed to a
    /// server that answered and refused: only then may the same work succeed on a new connection.
    /// </summary>
    public static bool IsConnectionLost(Exception e) =>
        e is IOException or TimeoutException or SocketException or ServiceNotConnectedException or MailKit.Net.Imap.ImapProtocolException;

    /// <summary>While resolving a name: also a name the resolver refuses outright (too long, empty labels).</summary>
    public static bool IsExpectedResolving(Exception e, CancellationToken caller) =>
        !caller.IsCancellationRequested && (e is ArgumentException || IsExpected(e, caller));

    /// <summary>Records what failed at <paramref name="stage"/> in the user's terms, and whether trying again later may help.</summary>
    public static void Record(TestReport report, TestStage stage, Exception e, string? login = null, TimeSpan? timeout = null)
    {
        var (text, temporary, kind) = (stage, e) switch
        {
            (TestStage.Authentication, AuthenticationException) => (ReportText.Of("Auth.Refused", login ?? "", e.Message), false, FailureKind.SignInRefused),
            (TestStage.Authentication, NotSupportedException) => (ReportText.Of("Auth.NoMechanism"), false, FailureKind.NoSignInMechanism),
            // A server that stalls or hangs up during LOGIN: a failed stage, which a sender may retry.
            (TestStage.Authentication, _) => (ReportText.Verbatim(e.Message), true, FailureKind.Other),
            (TestStage.Tls, NotSupportedException) => (ReportText.Of("Tls.NoStartTls"), false, FailureKind.NoStartTls),
            (TestStage.Connection, _) when TimedOut(e) => (ReportText.Of("Connection.Silent", (timeout ?? TimeSpan.Zero).TotalSeconds), true, FailureKind.Silent),
            // A protocol error quotes the greeting, which from a service that is not a mail server is its banner
            // (SSH-2.0-…, a database's): the report says what failed without repeating what the service said.
            (TestStage.Connection, ProtocolException) => (ReportText.Of("Connection.NotMailServer"), true, FailureKind.AnotherProtocol),
            (TestStage.Connection, _) => (ReportText.Of("Connection.NotMail", e.Message), true, FailureKind.Other),
            (_, SmtpCommandException smtp) => (ReportText.Verbatim($"{(int)smtp.StatusCode} {smtp.Message}"), (int)smtp.StatusCode is >= 400 and < 500, FailureKind.Other),
            // The server answered: it refused, and saying it again will not change its mind.
            (_, CommandException or AuthenticationException) => (ReportText.Verbatim(e.Message), false, FailureKind.Other),
            // A read that timed out, a line dropped mid-command (SslHandshakeException is an IOException too): worth another attempt.
            _ => (ReportText.Verbatim(e.Message), true, FailureKind.Other),
        };
        report.Login ??= login;
        var words = kind switch
        {
            FailureKind.AnotherProtocol => MailAdvice.GreetingProtocol(e.Message),
            FailureKind.Silent or FailureKind.NoStartTls or FailureKind.NoSignInMechanism => null,
            _ => e.Message,
        };
        report.Fail(stage, text, kind, words);
        report.Temporary = temporary;
    }

    /// <summary>A read that ran out of time, however deep MailKit or SslStream wrapped it.</summary>
    public static bool TimedOut(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException or OperationCanceledException or SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                return true;
            }
        }

        return false;
    }
}
