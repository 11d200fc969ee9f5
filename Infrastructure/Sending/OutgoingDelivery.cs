using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MimeKit;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// What one attempt gave. <paramref name="Temporary"/>: worth trying again (a 4xx answer, a server that could not
/// be reached or dropped the line); otherwise the user must change something first. <paramref name="Message"/> is
/// what the server accepted, for the copy in Sent. <paramref name="Refused"/> are the recipients the server refused for
/// good at RCPT TO, sent or not.
/// </summary>
public sealed record DeliveryResult(bool Sent, bool Temporary, string Detail, MimeMessage? Message = null, IReadOnlyList<RefusedRecipient>? Refused = null)
{
    /// <summary>The server refused the account's token and the provider refused to renew it: the mail waits for Reconnect.</summary>
    public bool NeedsReconnecting { get; init; }
}

/// <summary>Sends an outgoing mail through the account's server, and files a copy of it in its Sent folder.</summary>
public sealed class OutgoingDelivery(SmtpSender smtp, MailSessions sessions)
{
    /// <summary>The SMTP transaction alone: nothing after the server's 250 may happen before the acceptance is recorded.</summary>
    public async Task<DeliveryResult> SendAsync(IDocumentSession session, Account account, OutgoingMail mail, CancellationToken cancellationToken)
    {
        var request = await sessions.SmtpRequestAsync(session, account, cancellationToken);
        if (request is null)
        {
            return new DeliveryResult(false, false, "The account has no outgoing server, and the system has no default one.");
        }

        var message = MailComposer.Compose(mail, account);
        var (report, refused) = await smtp.SendAsync(
            request, message, MailComposer.Sender(account), MailComposer.Envelope(mail, account), EnvelopeIds.Of(mail.Id), cancellationToken);
        if (request.PasswordIsToken && report.Failure?.Stage == TestStage.Authentication)
        {
            // The server refused the token (revoked early, or the clocks disagree): renewed once, at once, and sent again;
            // a renewal the provider refuses too leaves the account needing reconnecting, and the mail waits for it.
            var renewed = await sessions.RenewAsync(account, request.Password, cancellationToken);
            if (renewed.Token is not { } token)
            {
                return new DeliveryResult(false, true, renewed.Problem ?? report.Summary) { NeedsReconnecting = renewed.NeedsReconnecting };
            }

            (report, refused) = await smtp.SendAsync(
                request with { Password = token }, message, MailComposer.Sender(account), MailComposer.Envelope(mail, account), EnvelopeIds.Of(mail.Id), cancellationToken);
        }

        var detail = refused.Count == 0 || !report.Succeeded
            ? report.Summary
            : $"{report.Summary}; refused: {string.Join("; ", refused.Select(r => $"{r.Address} ({r.ReplyCode} {r.Words})"))}";
        return report.Succeeded
            ? new DeliveryResult(true, false, detail, message, refused)
            : new DeliveryResult(false, report.Temporary, detail, Refused: refused);
    }

    /// <summary>
    /// Whether this product files the copy: not for POP3, nor for providers that file sent mail themselves (Gmail would
    /// keep two copies).
    /// </summary>
    public static bool FilesCopy(Account account) =>
        account.Incoming is { Protocol: IncomingProtocol.Imap } incoming && !ProviderPresets.FilesSentMail(incoming.Host);

    /// <summary>
    /// Appends the sent message, read, to the account's Sent folder (or the server's special-use Sent folder), unless
    /// a copy with its Message-ID is there already (an earlier try that was cut off after the server had it). Null
    /// when filed; otherwise why not. The message is sent by now, so a failure here is retried on its own.
    /// </summary>
    public async Task<string?> FileCopyAsync(IQuerySession session, Account account, MimeMessage message, CancellationToken cancellationToken)
    {
        var work = await sessions.UseAsync(session, account, mailbox => mailbox.Match(
            imap => imap.FileSentCopyAsync(account.SentFolder, message, cancellationToken),
            _ => Task.FromResult<string?>("POP3 has no Sent folder")), cancellationToken);
        return work.Succeeded && work.Value is null ? null : "not copied to Sent: " + (work.Problem ?? work.Value);
    }
}
