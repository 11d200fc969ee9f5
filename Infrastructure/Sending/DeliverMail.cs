using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Mail;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// Hands a queued message to the outgoing server: attempt <paramref name="Attempt"/>. It waits on Wolverine's
/// durable local queue, so a host that stops before or during the attempt tries again when it starts.
/// </summary>
public sealed record DeliverMail(Guid MailId, int Attempt);

public static class DeliverMailHandler
{
    public static async Task<OutgoingMessages> Handle(
        DeliverMail message, IDocumentSession session, OutgoingDelivery delivery, SenderDomainPolicy senders, MailOptions options, ILogger<OutgoingDelivery> logger,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messages = new OutgoingMessages();
        var mail = await session.LoadAsync<OutgoingMail>(message.MailId, cancellationToken);

        // Sent already, discarded, or an attempt delivered twice: only the attempt the message waits for goes ahead.
        if (mail is not { Status: OutgoingMailStatus.Queued } || mail.Attempts != message.Attempt - 1)
        {
            return messages;
        }

        var account = await session.LoadAsync<Account>(mail.AccountId, cancellationToken);
        var recipients = account is { Deleted: false } ? MailComposer.Envelope(mail, account).Count : 0;
        // Checked again when it goes: the allowed domains or the account's From may have changed since Send.
        var refusedFrom = account is { Deleted: false } ? await senders.RefusalAsync(session, account, cancellationToken) : null;
        var result = account is not { Deleted: false }
            ? new DeliveryResult(false, false, false, "The account was deleted.")
            : refusedFrom is not null
                ? new DeliveryResult(false, false, false,
                    $"The system's default outgoing server sends only from addresses in {SenderDomains.Describe(refusedFrom)}; not from {MailComposer.Sender(account).Address}.")
                : await delivery.SendAsync(session, account, mail, cancellationToken);
        var attempts = message.Attempt;
        if (result.Sent)
        {
            session.Delete(mail);
            session.Events.Append(mail.AccountId,
                new MailSent(mail.AccountId, mail.Id, mail.MessageId!, recipients, attempts, result.CopiedToSent, result.Detail, mail.UserId, now));
            return messages;
        }

        var retry = Delivery.NextRetry(attempts, result.Temporary, options.RetryDelays);
        if (retry is { } delay)
        {
            logger.LogInformation("Outgoing mail {MailId} failed attempt {Attempt}, retrying in {Delay}: {Problem}", mail.Id, attempts, delay, result.Detail);
            session.Store(mail with { Attempts = attempts, NextAttemptAt = now + delay, Problem = result.Detail, UpdatedAt = now });
            messages.Add(new DeliverMail(mail.Id, attempts + 1).DelayedFor(delay));
            return messages;
        }

        session.Store(mail with { Status = OutgoingMailStatus.NotSent, Attempts = attempts, NextAttemptAt = null, Problem = result.Detail, UpdatedAt = now });
        if (account is not null)
        {
            session.Events.Append(mail.AccountId,
                new MailNotSent(mail.AccountId, mail.Id, mail.MessageId!, recipients, attempts, !result.Temporary, result.Detail, mail.UserId, now));
        }

        return messages;
    }
}
