using MailKit.Net.Smtp;
using MailAccounts.Domain.Accounts;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>An SMTP server with the password in hand; without authentication the login and password are ignored.</summary>
public sealed record SmtpRequest(
    ServerEndpoint Endpoint,
    bool UseAuthentication,
    string Login,
    string Password,
    IReadOnlyCollection<TrustedCertificate> Trusted)
{
    // A record prints every member; the password must never reach a log or an exception message that way.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, UseAuthentication = {UseAuthentication}, Login = {Login}, Password = ***, Trusted = {Trusted.Count}");
        return true;
    }
}

/// <summary>Sends one message through an SMTP server, recording each stage like a connection test.</summary>
public sealed class SmtpSender(MailConnector connector)
{
    public Task<TestReport> SendAsync(SmtpRequest request, MimeMessage message, CancellationToken cancellationToken) =>
        SendAsync(request, message, null, null, cancellationToken);

    /// <summary>
    /// Sends to <paramref name="recipients"/> when given (the envelope: a blind copy the headers do not name),
    /// otherwise to the message's To, Cc and Bcc. MailKit never writes the Bcc header into what it sends. The
    /// report says whether a failure is <see cref="TestReport.Temporary"/>: a 4xx answer, or a server that could
    /// not be reached or dropped the line.
    /// </summary>
    public async Task<TestReport> SendAsync(
        SmtpRequest request, MimeMessage message, MailboxAddress? sender, IEnumerable<MailboxAddress>? recipients, CancellationToken cancellationToken)
    {
        var report = new TestReport();
        using var client = new SmtpClient();
        try
        {
            if (!await connector.ConnectAsync(client, request.Endpoint, request.Trusted, report, cancellationToken))
            {
                report.Temporary = report.Failure?.Stage is TestStage.NameResolution or TestStage.Connection;
                return report;
            }

            if (request.UseAuthentication && !await MailSignIn.AuthenticateAsync(client, request.Login, request.Password, report, cancellationToken))
            {
                return report;
            }

            var response = sender is not null && recipients is not null
                ? await client.SendAsync(message, sender, recipients, cancellationToken)
                : await client.SendAsync(message, cancellationToken);
            report.Pass(TestStage.Sending, response);
        }
        catch (Exception e) when (MailFailures.IsExpected(e, cancellationToken))
        {
            // The server has not said 250, so the message is not sent; the rule says whether trying again may help.
            MailFailures.Record(report, TestStage.Sending, e);
        }
        finally
        {
            await MailSignIn.DisconnectQuietlyAsync(client);
        }

        return report;
    }
}
