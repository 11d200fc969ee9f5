using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailAccounts.Domain.Accounts;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>An SMTP server with the password in hand; without authentication the login and password are ignored.</summary>
public sealed record SmtpRequest(
    ServerEndpoint Endpoint,
    bool UseAuthentication,
    string Login,
    string Password,
    IReadOnlyCollection<TrustedCertificate> Trusted);

/// <summary>Sends one message through an SMTP server, recording each stage like a connection test.</summary>
public sealed class SmtpSender(MailConnector connector)
{
    public async Task<TestReport> SendAsync(SmtpRequest request, MimeMessage message, CancellationToken cancellationToken)
    {
        var report = new TestReport();
        using var client = new SmtpClient();
        try
        {
            if (!await connector.ConnectAsync(client, request.Endpoint, request.Trusted, report, cancellationToken))
            {
                return report;
            }

            if (request.UseAuthentication && !await IncomingTester.AuthenticateAsync(client, request.Login, request.Password, report, cancellationToken))
            {
                return report;
            }

            var response = await client.SendAsync(message, cancellationToken);
            report.Pass(TestStage.Sending, response);
        }
        catch (SmtpCommandException e)
        {
            report.Fail(TestStage.Sending, $"{(int)e.StatusCode} {e.Message}");
        }
        catch (Exception e) when (e is IOException or TimeoutException or ProtocolException or CommandException or OperationCanceledException)
        {
            report.Fail(TestStage.Sending, e.Message);
        }
        finally
        {
            await IncomingTester.DisconnectQuietlyAsync(client);
        }

        return report;
    }
}
