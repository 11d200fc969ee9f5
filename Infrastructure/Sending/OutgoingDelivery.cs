using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.Storage;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// What one attempt gave. <paramref name="Temporary"/>: worth trying again (a 4xx answer, a server that could not
/// be reached or dropped the line); otherwise the user must change something first. <paramref name="Message"/> is
/// what the server accepted, for the copy in Sent.
/// </summary>
public sealed record DeliveryResult(bool Sent, bool Temporary, string Detail, MimeMessage? Message = null);

/// <summary>Sends an outgoing mail through the account's server, and files a copy of it in its Sent folder.</summary>
public sealed class OutgoingDelivery(SmtpSender smtp, MailReader reader, SecretVault vault)
{
    /// <summary>The SMTP transaction alone: nothing after the server's 250 may happen before the acceptance is recorded.</summary>
    public async Task<DeliveryResult> SendAsync(IDocumentSession session, Account account, OutgoingMail mail, CancellationToken cancellationToken)
    {
        var request = await SmtpRequestAsync(session, account, cancellationToken);
        if (request is null)
        {
            return new DeliveryResult(false, false, "The account has no outgoing server, and the system has no default one.");
        }

        var message = MailComposer.Compose(mail, account);
        var report = await smtp.SendAsync(request, message, MailComposer.Sender(account), MailComposer.Envelope(mail, account), cancellationToken);
        return report.Succeeded
            ? new DeliveryResult(true, false, report.Summary, message)
            : new DeliveryResult(false, report.Temporary, report.Summary);
    }

    /// <summary>The account's own server, or the system's default for an account without one.</summary>
    public async Task<SmtpRequest?> SmtpRequestAsync(IQuerySession session, Account account, CancellationToken cancellationToken)
    {
        var server = await session.LoadOrReplayAsync<OutgoingServer>(account.Outgoing?.ServerId ?? OutgoingServer.SystemDefaultId, cancellationToken);
        if (server is null || (server.OwnerId is { } owner && owner != account.OwnerId))
        {
            return null;
        }

        var password = server.PasswordSecretId is { } secret ? await vault.RevealAsync(session, secret, cancellationToken) ?? "" : "";
        return new SmtpRequest(new ServerEndpoint(server.Host, server.Port, server.Security), server.UseAuthentication, server.Login, password,
            account.TrustedCertificates);
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

            var filed = 0;
            if (message.MessageId is { Length: > 0 } messageId)
            {
                await sent.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
                filed = (await sent.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken)).Count;
                await sent.CloseAsync(false, cancellationToken);
            }

            if (filed == 0)
            {
                await sent.AppendAsync(new AppendRequest(message, MessageFlags.Seen), cancellationToken);
            }

            return null;
        }, cancellationToken);
        return work.Succeeded && work.Value is null ? null : "not copied to Sent: " + (work.Problem ?? work.Value);
    }
}
