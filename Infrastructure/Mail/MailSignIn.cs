using MailKit;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>Signing in and out of an IMAP, POP3 or SMTP server, recorded as a stage of the report.</summary>
public static class MailSignIn
{
    public static async Task<bool> AuthenticateAsync(IMailService client, string login, string password, TestReport report, CancellationToken cancellationToken)
    {
        report.Login = login;
        try
        {
            await client.AuthenticateAsync(login, password, cancellationToken);
            report.Pass(TestStage.Authentication, ReportText.Of("Auth.SignedIn", login));
            return true;
        }
        catch (Exception e) when (MailFailures.IsExpected(e, cancellationToken))
        {
            MailFailures.Record(report, TestStage.Authentication, e, login);
            return false;
        }
    }

    /// <summary>Logs out politely, within five seconds; a server that hangs up rudely changes nothing.</summary>
    public static async Task DisconnectQuietlyAsync(IMailService client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(true, limit.Token);
        }
        catch (Exception e) when (MailFailures.IsExpected(e, CancellationToken.None))
        {
            // The work already has its answer.
        }
    }
}
