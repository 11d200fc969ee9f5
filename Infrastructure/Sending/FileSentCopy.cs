using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Storage;
using Microsoft.Extensions.Logging;
using MimeKit;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// Files the copy of a sent message in the account's Sent folder: try <paramref name="Attempt"/>. Queued with the
/// record of the acceptance, so a mail server that stalls or hangs up here delays the copy, never resends the mail.
/// </summary>
public sealed record FileSentCopy(Guid MailId, int Attempt);

public static class FileSentCopyHandler
{
    /// <summary>The unexpected (the database, the vault): tried again after each delay, then the copy is given up; the mail went.</summary>
    public static void ConfigureFailures(HandlerChain chain, IReadOnlyList<TimeSpan> retries) =>
        chain.OnAnyException().ScheduleRetry([.. retries]).Then.MoveToErrorQueue();

    public static async Task<OutgoingMessages> Handle(
        FileSentCopy message, IDocumentSession session, OutgoingDelivery delivery, MailOptions options, ILogger<OutgoingDelivery> logger,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messages = new OutgoingMessages();
        var sent = await session.LoadAsync<SentMail>(message.MailId, cancellationToken);
        if (sent is not { Mime: { } bytes } || sent.CopyAttempts != message.Attempt - 1)
        {
            return messages;
        }

        var account = await session.LoadOrReplayAsync<Account>(sent.AccountId, cancellationToken);
        var problem = account is { Deleted: false }
            ? await delivery.FileCopyAsync(session, account, await MimeMessage.LoadAsync(new MemoryStream(bytes), cancellationToken), cancellationToken)
            : "not copied to Sent: the account was deleted";
        if (problem is null)
        {
            session.Store(sent with { Mime = null, CopyAttempts = message.Attempt, FiledAt = now, CopyProblem = null });
            return messages;
        }

        if (account is { Deleted: false } && Delivery.NextRetry(message.Attempt, temporary: true, options.RetryDelays) is { } delay)
        {
            logger.LogInformation("The copy of sent mail {MailId} was not filed (try {Attempt}), trying again in {Delay}: {Problem}", sent.Id, message.Attempt, delay, problem);
            session.Store(sent with { CopyAttempts = message.Attempt, CopyProblem = problem });
            messages.Add(new FileSentCopy(sent.Id, message.Attempt + 1).DelayedFor(delay));
            return messages;
        }

        logger.LogWarning("The copy of sent mail {MailId} was given up after {Attempt} tries: {Problem}", sent.Id, message.Attempt, problem);
        session.Store(sent with { Mime = null, CopyAttempts = message.Attempt, CopyProblem = problem });
        return messages;
    }
}
