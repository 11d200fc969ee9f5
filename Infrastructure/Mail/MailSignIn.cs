using MailKit;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>Signing in and out of an IMAP, POP3 or SMTP server, recorded as a stage of the report.</summary>
public static class MailSignIn
{
    /// <param name="isToken">The password is an OAuth access token: signed in with SASL XOAUTH2, which IMAP, POP3 and SMTP
    /// servers that take tokens (Gmail, Microsoft 365, Yandex, Mail.ru, Dovecot's oauth2 passdb) all offer.</param>
    public static async Task<bool> AuthenticateAsync(
        IMailService client, string login, string password, TestReport report, CancellationToken cancellationToken, bool isToken = false)
    {
        report.Login = login;
        try
        {
            if (isToken)
            {
                await client.AuthenticateAsync(new MailKit.Security.SaslMechanismOAuth2(login, password), cancellationToken);
            }
            else
            {
                await client.AuthenticateAsync(login, password, cancellationToken);
            }

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
