using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Secrets;
using MailKit;
using MailKit.Net.Imap;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// What one attempt gave. <paramref name="Temporary"/>: worth trying again (a 4xx answer, a server that could not
/// be reached or dropped the line); otherwise the user must change something first.
/// </summary>
public sealed record DeliveryResult(bool Sent, bool Temporary, bool CopiedToSent, string Detail);

/// <summary>Sends an outgoing mail through the account's server and files a copy in its Sent folder.</summary>
public sealed class OutgoingDelivery(SmtpSender smtp, MailReader reader, SecretVault vault)
{
    public async Task<DeliveryResult> SendAsync(IDocumentSession session, Account account, OutgoingMail mail, CancellationToken cancellationToken)
    {
        var request = await SmtpRequestAsync(session, account, cancellationToken);
        if (request is null)
        {
            return new DeliveryResult(false, false, false, "The account has no outgoing server, and the system has no default one.");
        }

        var message = MailComposer.Compose(mail, account);
        var report = await smtp.SendAsync(request, message, MailComposer.Sender(account), MailComposer.Envelope(mail, account), cancellationToken);
        if (!report.Succeeded)
        {
            return new DeliveryResult(false, report.Temporary, false, report.Summary);
        }

        var (copied, note) = await CopyToSentAsync(session, account, message, cancellationToken);
        return new DeliveryResult(true, false, copied, note is null ? report.Summary : $"{report.Summary} ({note})");
    }

    /// <summary>The account's own server, or the system's default for an account without one.</summary>
    public async Task<SmtpRequest?> SmtpRequestAsync(IQuerySession session, Account account, CancellationToken cancellationToken)
    {
        var server = account.Outgoing?.ServerId is { } id
            ? await session.LoadAsync<OutgoingServer>(id, cancellationToken)
            : await OutgoingServerQueries.SystemDefaultAsync(session, cancellationToken);
        if (server is null || (server.OwnerId is { } owner && owner != account.OwnerId))
        {
            return null;
        }

        var password = server.PasswordSecretId is { } secret ? await vault.RevealAsync(session, secret, cancellationToken) ?? "" : "";
        return new SmtpRequest(new ServerEndpoint(server.Host, server.Port, server.Security), server.UseAuthentication, server.Login, password,
            account.TrustedCertificates);
    }

    /// <summary>
    /// Appends the sent message, read, to the account's Sent folder (or the server's special-use Sent folder).
    /// Not for POP3, nor for providers that file sent mail themselves (Gmail would keep two copies). The message
    /// is sent by now, so a failure here is reported, never a reason to send again.
    /// </summary>
    private async Task<(bool Copied, string? Note)> CopyToSentAsync(IQuerySession session, Account account, MimeKit.MimeMessage message, CancellationToken cancellationToken)
    {
        if (account.Incoming is not { Protocol: IncomingProtocol.Imap } incoming || ProviderPresets.FilesSentMail(incoming.Host))
        {
            return (false, null);
        }

        var work = await reader.UseAsync(session, account, async client =>
        {
            var imap = (ImapClient)client;
            var sent = account.SentFolder is { Length: > 0 } chosen
                ? await imap.GetFolderAsync(chosen, cancellationToken)
                : imap.Capabilities.HasFlag(ImapCapabilities.SpecialUse) ? imap.GetFolder(SpecialFolder.Sent) : null;
            if (sent is null)
            {
                return "no Sent folder";
            }

            await sent.AppendAsync(new AppendRequest(message, MessageFlags.Seen), cancellationToken);
            return null;
        }, cancellationToken);
        return work.Succeeded && work.Value is null ? (true, null) : (false, "not copied to Sent: " + (work.Problem ?? work.Value));
    }
}
