using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail.Mailboxes;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// An incoming server as the form or the saved account describes it, with the password in hand, or an OAuth access
/// token when <see cref="PasswordIsToken"/> (signed in with SASL XOAUTH2).
/// </summary>
public sealed record IncomingRequest(
    IncomingProtocol Protocol,
    ServerEndpoint Endpoint,
    string Login,
    string Password,
    IReadOnlyCollection<TrustedCertificate> Trusted)
{
    public bool PasswordIsToken { get; init; }

    // A record prints every member; the password must never reach a log or an exception message that way.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, Protocol = {Protocol}, Login = {Login}, Password = ***, Trusted = {Trusted.Count}");
        return true;
    }
}

/// <summary>
/// Tests incoming settings stage by stage (through the one sign-in, <see cref="MailSessions"/>) and, for IMAP, lists
/// the server's folders. A cancellation by the caller is rethrown: an abandoned test records no failed stage.
/// </summary>
public sealed class IncomingTester(MailSessions sessions)
{
    public async Task<TestReport> TestAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        var report = new TestReport();
        await using var session = await sessions.OpenAsync(request, report, cancellationToken);
        if (session.Mailbox is not { } mailbox)
        {
            return report;
        }

        try
        {
            await mailbox.Match(
                async imap =>
                {
                    report.Folders = await imap.ServerFoldersAsync(cancellationToken);
                    report.Pass(TestStage.Folders, ReportText.Of("Folders.Count", report.Folders.Count));
                },
                async pop3 =>
                {
                    var count = (await pop3.CountAsync(["INBOX"], cancellationToken))[0].Total;
                    report.Pass(TestStage.Folders, ReportText.Of("Folders.Inbox", count));
                });
        }
        catch (Exception e) when (MailFailures.IsExpected(e, cancellationToken))
        {
            MailFailures.Record(report, TestStage.Folders, e);
        }

        return report;
    }
}
