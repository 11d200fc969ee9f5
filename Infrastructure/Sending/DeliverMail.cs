using JasperFx;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Domain.Sending;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime;
using Wolverine.Runtime.Handlers;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>
/// Hands a queued message to the outgoing server: attempt <paramref name="Attempt"/>. It waits on Wolverine's
/// durable local queue, so a host that stops before or during the attempt tries again when it starts.
/// </summary>
public sealed record DeliverMail(Guid MailId, int Attempt);

public static class DeliverMailHandler
{
    /// <summary>
    /// What the handler did not expect (the database, the vault, a bug, the host stopping): the same attempt again
    /// after each of <paramref name="retries"/> (the send retry delays), which its claim lets through; after the last,
    /// the message goes to Not sent rather than staying Queued with nobody working on it. A server's answers never get
    /// here: they are outcomes of the attempt.
    /// </summary>
    public static void ConfigureFailures(HandlerChain chain, IReadOnlyList<TimeSpan> retries) =>
        chain.OnAnyException().ScheduleRetry([.. retries])
            .Then.MoveToErrorQueue().And(GiveUpAsync, "Put the message in Not sent");

    /// <summary>
    /// The first attempt of a message just queued: after the user's undo time (so that Undo can take it back before any
    /// server hears of it), as a scheduled message on the durable queue, which a host that stops meanwhile still
    /// delivers once it starts again.
    /// </summary>
    public static object FirstAttempt(Guid mailId, TimeSpan undoTime) =>
        undoTime > TimeSpan.Zero ? new DeliverMail(mailId, 1).DelayedFor(undoTime) : new DeliverMail(mailId, 1);

    /// <summary>The wait before a message queued now goes: the user's choice in General settings, else the system's default.</summary>
    public static TimeSpan UndoTime(Domain.Settings.MailSettings settings, MailOptions options) =>
        TimeSpan.FromSeconds(Math.Max(0, settings.UndoSendSecondsOr(options.UndoSendSeconds)));

    public static async Task<OutgoingMessages> Handle(
        DeliverMail message, Envelope envelope, IDocumentSession session, IDocumentStore store, OutgoingDelivery delivery,
        SenderDomainPolicy senders, MailOptions options, Verification.VerificationOptions verification, ILogger<OutgoingDelivery> logger, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var messages = new OutgoingMessages();
        if (await session.LoadAsync<SentMail>(message.MailId, cancellationToken) is { Recorded: false } unrecorded)
        {
            // Accepted by the server and committed, but the account's stream did not take MailSent: record it now.
            Record(session, messages, unrecorded);
            return messages;
        }

        // A retry of this very envelope (the error policy) holds the claim itself and takes it back at once.
        var (claimed, busyUntil) = await ClaimAsync(store, message, Lease(options), envelope.Attempts > 1, now, cancellationToken);
        if (!claimed)
        {
            // Another host holds this attempt. Its own delivery completes it; should that host have died, this one takes
            // the attempt over once the claim is older than any attempt can last.
            if (busyUntil is { } until)
            {
                messages.Add(message.ScheduledAt(until));
            }

            return messages;
        }

        var mail = (await session.LoadAsync<OutgoingMail>(message.MailId, cancellationToken))!;
        var attempts = message.Attempt;
        var (account, refusal) = await SenderMayUseAsync(session, senders, mail, cancellationToken);
        if (refusal is { } refused)
        {
            // Access is judged when the message goes, not only when Send was pressed: nothing is sent.
            logger.LogInformation("Outgoing mail {MailId} not sent: {Reason}", mail.Id, refused.Text);
            NotSent(session, mail, account, attempts, permanent: true, refused.Text, refused.Key, now);
            return messages;
        }

        if (account!.Authorisation is { LostAt: { } lostAt })
        {
            return Held(session, messages, mail, account, attempts, lostAt, options, now);
        }

        var result = await delivery.SendAsync(session, account, mail, cancellationToken);
        if (result.NeedsReconnecting)
        {
            return Held(session, messages, mail, account, attempts, now, options, now);
        }

        if (result.Refused is { Count: > 0 } refusedRecipients)
        {
            // Whether or not the others were sent: each refusal is a fact about its address, recorded on its own stream.
            await Verification.SendRefusals.RecordAsync(store, mail, refusedRecipients, verification.Rules, now, cancellationToken);
        }

        if (result is { Sent: true, Message: { } accepted })
        {
            // The server has it: from here on the message is never sent again. This handler's transaction records that
            // at once, and the copy for Sent is a message of its own that may fail and retry without resending.
            var copy = OutgoingDelivery.FilesCopy(account!);
            var addressees = MailComposer.Envelope(mail, account!);
            var sent = new SentMail(mail.Id, mail.UserId, mail.AccountId, mail.MessageId!, now, copy ? Bytes(accepted) : null,
                Recipients: addressees.Count, Attempts: attempts, CopyDue: copy, Detail: result.Detail, Recorded: false, Subject: mail.Subject,
                RecipientAddresses: [.. addressees.Select(r => r.Address)]);
            await using (var acceptance = store.LightweightSession())
            {
                // Documents only, in a transaction of its own: nothing another message does can make it fail, and not
                // even the host stopping cancels it.
                acceptance.Delete<OutgoingMail>(mail.Id);
                acceptance.Store(sent);
                await acceptance.SaveChangesAsync(CancellationToken.None);
            }

            Record(session, messages, sent);
            await Correspondents.NoteAsync(session, mail, now, cancellationToken);
            return messages;
        }

        var retry = Delivery.NextRetry(attempts, result.Temporary, options.RetryDelays);
        if (retry is { } delay)
        {
            logger.LogInformation("Outgoing mail {MailId} failed attempt {Attempt}, retrying in {Delay}: {Problem}", mail.Id, attempts, delay, result.Detail);
            session.Store(mail with { Attempts = attempts, Sending = false, NextAttemptAt = now + delay, Problem = result.Detail, ProblemKey = null, UpdatedAt = now });
            messages.Add(new DeliverMail(mail.Id, attempts + 1).DelayedFor(delay));
            return messages;
        }

        NotSent(session, mail, account, attempts, !result.Temporary, result.Detail, null, now);
        return messages;
    }

    /// <summary>
    /// Mail of an account whose provider refused its sign-in waits, without using up an attempt, for its user to
    /// reconnect the account: it looks again every <see cref="MailOptions.HeldMailCheckSeconds"/>, and goes once the
    /// account is reconnected. Only when <see cref="MailOptions.ReconnectGraceHours"/> pass without that does it go to
    /// Not sent, saying why.
    /// </summary>
    private static OutgoingMessages Held(
        IDocumentSession session, OutgoingMessages messages, OutgoingMail mail, Account account, int attempts, DateTimeOffset lostAt, MailOptions options, DateTimeOffset now)
    {
        var giveUpAt = lostAt + TimeSpan.FromHours(options.ReconnectGraceHours);
        if (now >= giveUpAt)
        {
            NotSent(session, mail, account, attempts, permanent: true,
                $"The account was not reconnected within {options.ReconnectGraceHours:0.#} hours of its provider refusing its sign-in.", "Outbox.Refused.NotReconnected", now);
            return messages;
        }

        var wait = TimeSpan.FromSeconds(Math.Max(1, options.HeldMailCheckSeconds));
        wait = giveUpAt - now < wait ? giveUpAt - now : wait;
        session.Store(mail with
        {
            Attempts = attempts - 1, Sending = false, NextAttemptAt = now + wait, UpdatedAt = now,
            Problem = "Waiting for the account to be reconnected.", ProblemKey = "Outbox.WaitingForReconnect",
        });
        messages.Add(new DeliverMail(mail.Id, attempts).DelayedFor(wait));
        return messages;
    }

    /// <summary>The account's record of the sending, and the copy for Sent queued, in this handler's transaction.</summary>
    private static void Record(IDocumentSession session, OutgoingMessages messages, SentMail sent)
    {
        session.Store(sent with { Recorded = true });
        session.Events.Append(sent.AccountId,
            Delivery.Sent(sent.AccountId, sent.Id, sent.MessageId, sent.Recipients, sent.Attempts, sent.CopyDue, sent.Detail, sent.UserId, sent.SentAt));
        if (sent.CopyDue)
        {
            messages.Add(new FileSentCopy(sent.Id, 1));
        }
    }

    /// <summary>The longest one attempt can take: connecting, TLS, sign-in, envelope and data, each within the timeout.</summary>
    private static TimeSpan Lease(MailOptions options) => TimeSpan.FromSeconds(options.TimeoutSeconds * 8);

    /// <summary>
    /// Takes the attempt for this delivery alone, committed before any server is contacted: the attempt the message
    /// waits for, or one whose claim is older than any attempt lasts (its host stopped). A second delivery of the same
    /// attempt loses on the version; one that finds a fresh claim of another host is told when to look again.
    /// </summary>
    private static async Task<(bool Claimed, DateTimeOffset? BusyUntil)> ClaimAsync(
        IDocumentStore store, DeliverMail message, TimeSpan lease, bool retried, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var claim = store.LightweightSession();
        var mail = await claim.LoadAsync<OutgoingMail>(message.MailId, cancellationToken);
        if (mail is not { Status: OutgoingMailStatus.Queued })
        {
            // Sent already or discarded.
            return (false, null);
        }

        if (message.Attempt == 1 && mail.Attempts == 0 && mail.NextAttemptAt is { } due && due > now + EarlyTolerance)
        {
            // The delivery of an earlier Send that Undo took back: the message was sent again since, and its own
            // delivery waits out its own undo time.
            return (false, null);
        }

        var waiting = mail.Attempts == message.Attempt - 1 && !mail.Sending;
        var underWay = mail.Attempts == message.Attempt && mail.Sending;
        if (underWay && !retried && mail.ClaimedAt is { } claimedAt && claimedAt + lease > now)
        {
            return (false, claimedAt + lease);
        }

        if (!waiting && !underWay)
        {
            // An attempt delivered twice: only the attempt the message waits for goes ahead.
            return (false, null);
        }

        claim.Store(mail with { Attempts = message.Attempt, Sending = true, ClaimedAt = now, UpdatedAt = now });
        try
        {
            await claim.SaveChangesAsync(cancellationToken);
            return (true, null);
        }
        catch (ConcurrencyException)
        {
            return (false, now + lease);
        }
    }

    /// <summary>How much earlier than the message's due time its first attempt may arrive and still be its own.</summary>
    private static readonly TimeSpan EarlyTolerance = TimeSpan.FromSeconds(1);

    private sealed record Refusal(string Key, string Text);

    /// <summary>
    /// The one access rule, applied to the sender as they are now. Views are read through the events when their row
    /// is missing, so a rebuild under way is never taken for a deleted account.
    /// </summary>
    private static async Task<(Account? Account, Refusal? Refusal)> SenderMayUseAsync(
        IQuerySession session, SenderDomainPolicy senders, OutgoingMail mail, CancellationToken cancellationToken)
    {
        var account = await session.LoadOrReplayAsync<Account>(mail.AccountId, cancellationToken);
        if (account is null or { Deleted: true })
        {
            return (account, new Refusal("Outbox.Refused.AccountDeleted", "The account was deleted."));
        }

        var user = await session.LoadOrReplayAsync<User>(mail.UserId, cancellationToken);
        if (user is not { IsActive: true })
        {
            return (account, new Refusal("Outbox.Refused.UserDeactivated", "The sender's user was deactivated."));
        }

        if (!account.IsActive)
        {
            return (account, new Refusal("Outbox.Refused.AccountDeactivated", "The account was deactivated."));
        }

        if (!AccountAccess.Allows(account, new Actor(user.Id, user.Role == UserRole.Administrator), AccountUse.Use))
        {
            return (account, new Refusal("Outbox.Refused.AccessRevoked", "The sender may no longer use this account."));
        }

        // The allowed domains, or the account's From, may have changed since Send.
        return await senders.RefusalAsync(session, account, cancellationToken) is { } allowed
            ? (account, new Refusal("Outbox.Refused.SenderDomain",
                $"The system's default outgoing server sends only from addresses in {SenderDomains.Describe(allowed)}; not from {MailComposer.Sender(account).Address}."))
            : (account, null);
    }

    private static void NotSent(
        IDocumentSession session, OutgoingMail mail, Account? account, int attempts, bool permanent, string detail, string? key, DateTimeOffset now)
    {
        session.Store(mail with
        {
            Status = OutgoingMailStatus.NotSent, Attempts = attempts, Sending = false, NextAttemptAt = null, Problem = detail, ProblemKey = key, UpdatedAt = now,
        });
        if (account is not null)
        {
            var recipients = account is { Deleted: false } ? MailComposer.Envelope(mail, account).Count : 0;
            session.Events.Append(mail.AccountId,
                Delivery.NotSent(mail.AccountId, mail.Id, mail.MessageId!, recipients, attempts, permanent, detail, mail.UserId, now));
        }
    }

    /// <summary>The error policy's last step: the attempt failed in a way nobody expected, every retry too.</summary>
    private static async ValueTask GiveUpAsync(IWolverineRuntime runtime, IEnvelopeLifecycle lifecycle, Exception exception)
    {
        if (lifecycle.Envelope?.Message is not DeliverMail message)
        {
            return;
        }

        var store = runtime.Services.GetRequiredService<IDocumentStore>();
        var now = runtime.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var session = store.LightweightSession();
        var mail = await session.LoadAsync<OutgoingMail>(message.MailId);
        if (mail is not { Status: OutgoingMailStatus.Queued })
        {
            return;
        }

        var account = await session.LoadOrReplayAsync<Account>(mail.AccountId, CancellationToken.None);
        NotSent(session, mail, account, Math.Max(mail.Attempts, message.Attempt), permanent: false,
            $"The message could not be sent: {exception.GetType().Name}: {exception.Message}", null, now);
        await session.SaveChangesAsync();
    }

    private static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}
