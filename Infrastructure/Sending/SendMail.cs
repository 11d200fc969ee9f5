using JasperFx;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Settings;
using System.Globalization;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Outgoing;
using MimeKit.Utils;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>The headers that tie a reply to its thread; taken from the original on the server, never from the form.</summary>
public sealed record ThreadHeaders(string? InReplyTo, IReadOnlyList<string> References);

/// <summary>
/// The compose form's Send (or Save when <paramref name="Send"/> is false). A form within the outbox's limits is
/// stored whatever happens next, so that a refused Send loses nothing; a form that may be sent is queued for
/// <see cref="DeliverMail"/> in the same transaction, and the page returns at once.
/// </summary>
/// <param name="Removed">Indexes of the draft's stored attachments the user removed.</param>
public sealed record SendMail(
    Actor Sender,
    Guid MailId,
    Guid AccountId,
    DraftForm Draft,
    ThreadHeaders? Thread,
    IReadOnlyList<MailAttachment> Added,
    IReadOnlyList<int> Removed,
    bool Send);

public static class SendMailHandler
{
    public static async Task<(Outcome, OutgoingMessages)> Handle(
        SendMail command, IDocumentSession session, MailOptions options, MailSendLimiter sends, SenderDomainPolicy senders, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var messages = new OutgoingMessages();
        var userId = command.Sender.UserId;
        var existing = await session.LoadAsync<OutgoingMail>(command.MailId, cancellationToken);
        if (existing is not null && existing.UserId != userId)
        {
            return (new Outcome(command.MailId, [new Violation("", SendingViolations.Unknown)]), messages);
        }

        // Queued, or sent already (its outbox document is gone, its record stays): a second Send of it sends nothing.
        if (SendingOnce.Refusal(await OutgoingMailQueries.StageAsync(session, command.MailId, existing, cancellationToken)) is { } sentAlready)
        {
            return (new Outcome(command.MailId, [sentAlready]), messages);
        }

        var account = await AccountQueries.FindAsync(session, command.AccountId, command.Sender, AccountUse.Use, cancellationToken);
        if (account is null)
        {
            return (new Outcome(command.MailId, [new Violation("AccountId", SendingViolations.AccountCannotSend)]), messages);
        }

        var kept = (existing?.Attachments ?? []).Where((_, index) => !command.Removed.Contains(index));
        var draft = command.Draft;
        var mail = new OutgoingMail(
            command.MailId, userId, account.Id,
            draft.To?.Trim() ?? "", draft.Cc?.Trim() ?? "", draft.Bcc?.Trim() ?? "", Drafts.Subject(draft.Subject), draft.Body ?? "", draft.PlainText,
            existing?.InReplyTo ?? command.Thread?.InReplyTo, existing?.References ?? command.Thread?.References ?? [],
            [.. kept, .. command.Added], OutgoingMailStatus.Draft, existing?.CreatedAt ?? now, now, Problem: existing?.Problem);

        // What the outbox may hold is checked before anything is stored, on Save as on Send: a refused form stores
        // nothing, so that no script can grow one draft, or the number of drafts, without end.
        var storage = await StorageViolationsAsync(session, mail, existing is null, options, cancellationToken);
        if (storage.Count > 0)
        {
            return (new Outcome(mail.Id, storage), messages);
        }

        if (!command.Send)
        {
            Save(session, existing, mail);
            return (new Outcome(mail.Id, []), messages);
        }

        // A form that may be stored but not sent is kept as a draft, so that the refusal loses nothing.
        var (_, violations) = Drafts.Check(mail.Form, mail.AttachmentBytes, options.MaxAttachmentBytes, options.MaxRecipients);
        if (violations.Count == 0 && await senders.RefusalAsync(session, account, cancellationToken) is { } allowed)
        {
            violations = [new Violation("AccountId", OutgoingViolations.SenderDomainNotAllowed, SenderDomains.Describe(allowed))];
        }

        // Counted last, so that only a message that goes takes one of the minute's sends.
        if (violations.Count == 0 && !sends.TryAcquire(userId))
        {
            violations = [new Violation("", SendingViolations.TooManySends, sends.PermitsPerMinute.ToString(CultureInfo.InvariantCulture))];
        }

        if (violations.Count > 0)
        {
            Save(session, existing, mail);
            return (new Outcome(mail.Id, violations), messages);
        }

        var settings = await MailSettingsQueries.ForUserAsync(session, userId, cancellationToken);
        var from = MailComposer.Sender(account);
        Save(session, existing, mail with
        {
            Status = OutgoingMailStatus.Queued,
            Charset = settings.Charset,
            // One Message-ID for every attempt: a message the server took twice is recognisably the same message.
            MessageId = MimeUtils.GenerateMessageId(from.Domain),
            QueuedAt = now,
            Attempts = 0,
            NextAttemptAt = now + DeliverMailHandler.UndoTime(settings, options),
            Problem = null,
        });
        messages.Add(DeliverMailHandler.FirstAttempt(mail.Id, DeliverMailHandler.UndoTime(settings, options)));
        return (new Outcome(mail.Id, []), messages);
    }

    /// <summary>
    /// Two Sends of one draft at once (a double click, two tabs) read the same version: the document's version check
    /// (or, for a draft never saved, the insert) makes the second commit fail, and its retry finds the message on its way.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<ConcurrencyException>().Or<DocumentAlreadyExistsException>().RetryTimes(2);

    private static void Save(IDocumentSession session, OutgoingMail? existing, OutgoingMail mail)
    {
        if (existing is null)
        {
            session.Insert(mail);
        }
        else
        {
            session.Store(mail);
        }
    }

    /// <summary>The message's attachments, the number of the user's unsent messages and what they weigh together.</summary>
    private static async Task<IReadOnlyList<Violation>> StorageViolationsAsync(
        IQuerySession session, OutgoingMail mail, bool isNew, MailOptions options, CancellationToken cancellationToken)
    {
        var violations = new List<Violation>();
        if (mail.AttachmentBytes > options.MaxAttachmentBytes)
        {
            violations.Add(new("Attachments", SendingViolations.AttachmentsTooLarge));
        }

        var others = await OutgoingMailQueries.KeptByAsync(session, mail.UserId, mail.Id, cancellationToken);
        if (isNew && others.Count + 1 > options.MaxDrafts)
        {
            violations.Add(new("", SendingViolations.TooManyDrafts, options.MaxDrafts.ToString(CultureInfo.InvariantCulture)));
        }

        if (others.Bytes + mail.Bytes > options.MaxDraftBytes)
        {
            violations.Add(new("Attachments", SendingViolations.DraftsTooLarge,
                (options.MaxDraftBytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture)));
        }

        return violations;
    }
}
