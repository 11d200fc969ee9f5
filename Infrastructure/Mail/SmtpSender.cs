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
    /// <summary>The password is an OAuth access token of the sending account: signed in with SASL XOAUTH2.</summary>
    public bool PasswordIsToken { get; init; }

    // A record prints every member; the password must never reach a log or an exception message that way.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, UseAuthentication = {UseAuthentication}, Login = {Login}, Password = ***, Trusted = {Trusted.Count}");
        return true;
    }
}

/// <summary>A recipient the server refused for good at RCPT TO, with its reply code and its own words.</summary>
public sealed record RefusedRecipient(string Address, int ReplyCode, string Words);

/// <summary>What sending gave: the report of its stages, and the recipients the server refused for good while the others were sent.</summary>
public sealed record SendReport(TestReport Report, IReadOnlyList<RefusedRecipient> Refused);

/// <summary>Sends one message through an SMTP server, recording each stage like a connection test.</summary>
public sealed class SmtpSender(MailConnector connector)
{
    public async Task<TestReport> SendAsync(SmtpRequest request, MimeMessage message, CancellationToken cancellationToken) =>
        (await SendAsync(request, message, null, null, null, cancellationToken)).Report;

    /// <summary>
    /// Sends to <paramref name="recipients"/> when given (the envelope: a blind copy the headers do not name),
    /// otherwise to the message's To, Cc and Bcc. MailKit never writes the Bcc header into what it sends. The
    /// report says whether a failure is <see cref="TestReport.Temporary"/>: a 4xx answer, or a server that could
    /// not be reached or dropped the line. A recipient refused for good (5xx at RCPT TO) does not stop the others: it
    /// is in <see cref="SendReport.Refused"/>, and only when every recipient is refused does the sending fail.
    /// <paramref name="envelopeId"/> goes as the DSN ENVID (RFC 3461) where the server takes it, and comes back in the
    /// report of a message that bounces later.
    /// </summary>
    public async Task<SendReport> SendAsync(
        SmtpRequest request, MimeMessage message, MailboxAddress? sender, IEnumerable<MailboxAddress>? recipients, string? envelopeId,
        CancellationToken cancellationToken)
    {
        var report = new TestReport();
        using var client = new EnvelopeClient(envelopeId);
        try
        {
            if (!await connector.ConnectAsync(client, request.Endpoint, request.Trusted, report, cancellationToken))
            {
                report.Temporary = report.Failure?.Stage is TestStage.NameResolution or TestStage.Connection;
                return new SendReport(report, []);
            }

            if (request.UseAuthentication && !await MailSignIn.AuthenticateAsync(client, request.Login, request.Password, report, cancellationToken, request.PasswordIsToken))
            {
                return new SendReport(report, []);
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

        return new SendReport(report, client.Refused);
    }

    /// <summary>
    /// MailKit's client, told the envelope id and made to go on past a recipient refused for good. A refusal for now
    /// (4xx) still stops the message, so that it is tried again for everybody rather than lost for one.
    /// </summary>
    private sealed class EnvelopeClient(string? envelopeId) : SmtpClient
    {
        public List<RefusedRecipient> Refused { get; } = [];

        protected override string? GetEnvelopeId(MimeMessage message) => envelopeId;

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            if ((int)response.StatusCode < 500)
            {
                base.OnRecipientNotAccepted(message, mailbox, response);
            }

            Refused.Add(new RefusedRecipient(mailbox.Address, (int)response.StatusCode, response.Response));
        }

        protected override void OnNoRecipientsAccepted(MimeMessage message)
        {
            // Nobody to send to: the first refusal, as MailKit would have thrown it at once.
            var first = Refused[0];
            throw new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, (SmtpStatusCode)first.ReplyCode, new MailboxAddress("", first.Address), first.Words);
        }
    }
}
