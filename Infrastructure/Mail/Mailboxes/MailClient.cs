using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Sending;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>
/// A message opened in the client, as the letter page shows it: its headers, its body rendered safe (remote content
/// only when asked), its marks and the folders it may be moved to (none for POP3). <paramref name="Senders"/> are the
/// addresses in its From, which the address suggestions learn.
/// </summary>
public sealed record OpenedMessage(
    string Subject, string From, string To, string Cc, DateTimeOffset Date, MessageBody Body,
    bool Seen, bool Flagged, IReadOnlyList<FolderView> Folders, Neighbours Neighbours, IReadOnlyList<Recipient>? Senders = null);

/// <summary>The message list and the mailbox's quota (null when the server states none).</summary>
public sealed record QuotedListing(Listing Listing, MailboxQuota? Quota);

/// <summary>One attachment's decoded content, to be downloaded.</summary>
public sealed record AttachmentContent(string FileName, byte[] Content);

/// <summary>The message a reply or forward starts from, as the compose form uses it.</summary>
public sealed class OriginalMessage(MimeMessage message, string fallbackCharset)
{
    public string Subject => message.Subject ?? "";

    public string? MessageId => message.MessageId;

    public IReadOnlyList<string> References => [.. message.References];

    public DateTimeOffset Date => message.Date;

    public string FromText => message.From.ToString();

    public string ToText => message.To.ToString();

    public IReadOnlyList<Recipient> ReplyTo => Recipients(message.ReplyTo.Count > 0 ? message.ReplyTo : message.From);

    public IReadOnlyList<Recipient> To => Recipients(message.To);

    public IReadOnlyList<Recipient> Cc => Recipients(message.Cc);

    /// <summary>The body as the reader sees it (sanitised HTML, remote content blocked).</summary>
    public string Html => MessageBodies.Render(message, false, fallbackCharset).Html;

    public string PlainText => MessageBodies.PlainText(message, fallbackCharset, ReadableText.FromHtml);

    /// <summary>The attachments a forward may send on.</summary>
    public IReadOnlyList<AttachmentInfo> Forwardable => MessageBodies.Render(message, false, fallbackCharset).Attachments;

    /// <summary>The chosen attachments (by <see cref="AttachmentInfo.Index"/>), decoded, to be stored with the draft.</summary>
    public IReadOnlyList<MailAttachment> Attachments(IReadOnlyCollection<int> indexes) =>
    [
        .. message.Attachments
            .Select((a, index) => (a, index))
            .Where(p => indexes.Contains(p.index) && p.a is MimePart { Content: not null })
            .Select(p => Decoded((MimePart)p.a)),
    ];

    private static MailAttachment Decoded(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return new MailAttachment(part.FileName ?? "attachment", part.ContentType.MimeType, content.ToArray());
    }

    private static Recipient[] Recipients(InternetAddressList list) =>
        [.. list.Mailboxes.Where(m => m.Address.Length > 0).Select(m => new Recipient(m.Name ?? "", m.Address))];
}

/// <summary>
/// What the mail client's pages ask of an account's server, each in one call: the message list, a message, an
/// attachment, flags and moves, the folder list. Whatever the server does wrong comes back as the problem to show.
/// </summary>
public sealed class MailClient(MailSessions sessions, MailOptions options)
{
    public Task<MailWork<Listing>> ListingAsync(
        IQuerySession session, Account account, IReadOnlyCollection<string> visible, string? folder, int page, int pageSize, CancellationToken cancellationToken) =>
        ListingAsync(session, account, visible, folder, page, pageSize, ListOrder.Newest, cancellationToken);

    /// <summary>The list in the order asked for (see <see cref="IMailbox.ListingAsync(IReadOnlyCollection{string}, string?, int, int, ListOrder, CancellationToken)"/>).</summary>
    public Task<MailWork<Listing>> ListingAsync(
        IQuerySession session, Account account, IReadOnlyCollection<string> visible, string? folder, int page, int pageSize, ListOrder order,
        CancellationToken cancellationToken) =>
        sessions.ReadAsync(session, account, mailbox => mailbox.ListingAsync(visible, folder, page, pageSize, order, cancellationToken), cancellationToken);

    /// <summary>
    /// The list as above, then the mailbox's quota in the same signed-in session: after the page, so the list never
    /// waits on it, and only from a server that offers QUOTA (one GETQUOTAROOT); POP3 has none. Read every time, never
    /// kept: the line must agree with what the user just did (a Trash emptied, a message deleted).
    /// </summary>
    public Task<MailWork<QuotedListing>> ListingWithQuotaAsync(
        IQuerySession session, Account account, IReadOnlyCollection<string> visible, string? folder, int page, int pageSize, ListOrder order,
        CancellationToken cancellationToken) =>
        sessions.ReadAsync(session, account, async mailbox =>
        {
            var listing = await mailbox.ListingAsync(visible, folder, page, pageSize, order, cancellationToken);
            var quota = await mailbox.Match(imap => imap.QuotaAsync(cancellationToken), _ => Task.FromResult<MailboxQuota?>(null));
            return new QuotedListing(listing, quota);
        }, cancellationToken);

    /// <summary>Marks the chosen messages in one command. POP3 keeps no marks: false, and nothing is asked of the server.</summary>
    public Task<MailWork<bool>> SetFlagsAsync(
        IQuerySession session, Account account, string folder, IReadOnlyList<uint> uids, MailFlag flag, bool set, CancellationToken cancellationToken) =>
        OnImapAsync(session, account, imap => imap.SetFlagsAsync(folder, uids, flag, set, cancellationToken), cancellationToken);

    /// <summary>Moves the chosen messages in one command; null for POP3, which has no folders.</summary>
    public Task<MailWork<Moved?>> MoveAsync(
        IQuerySession session, Account account, string folder, IReadOnlyList<uint> uids, string target, CancellationToken cancellationToken) =>
        sessions.UseAsync(session, account, mailbox => mailbox.Match<Task<Moved?>>(
            async imap => await imap.MoveAsync(folder, uids, target, cancellationToken), _ => Task.FromResult<Moved?>(null)), cancellationToken);

    /// <summary>Deletes the chosen messages for good (the Trash's Delete). POP3: false.</summary>
    public Task<MailWork<bool>> DeleteAsync(
        IQuerySession session, Account account, string folder, IReadOnlyList<uint> uids, CancellationToken cancellationToken) =>
        OnImapAsync(session, account, imap => imap.DeleteAsync(folder, uids, cancellationToken), cancellationToken);

    /// <summary>The message, read without marking it read; a null value when it is no longer there.</summary>
    public Task<MailWork<OpenedMessage?>> MessageAsync(
        IQuerySession session, Account account, string folder, string uid, bool showRemoteContent, CancellationToken cancellationToken) =>
        MessageAsync(session, account, folder, uid, showRemoteContent, ListOrder.Newest, 50, cancellationToken);

    /// <summary>The same, its previous and next in the order the list shows (<paramref name="order"/>, pages of <paramref name="pageSize"/>).</summary>
    public Task<MailWork<OpenedMessage?>> MessageAsync(
        IQuerySession session, Account account, string folder, string uid, bool showRemoteContent, ListOrder order, int pageSize,
        CancellationToken cancellationToken) =>
        sessions.ReadAsync(session, account, async mailbox =>
        {
            var stored = await mailbox.MessageAsync(folder, uid, cancellationToken);
            var folders = await mailbox.Match<Task<IReadOnlyList<FolderView>>>(
                imap => imap.FoldersAsync([], cancellationToken), _ => Task.FromResult<IReadOnlyList<FolderView>>([]));
            if (stored?.Message is not { } message)
            {
                return null;
            }

            var neighbours = await mailbox.NeighboursAsync(folder, uid, order, pageSize, cancellationToken);
            return new OpenedMessage(
                message.Subject ?? "", message.From.ToString(), message.To.ToString(), message.Cc.ToString(), message.Date,
                MessageBodies.Render(message, showRemoteContent, options.FallbackCharset), stored.Seen, stored.Flagged, folders, neighbours,
                [.. message.From.Mailboxes.Where(m => m.Address.Contains('@')).Select(m => new Recipient(m.Name ?? "", m.Address))]);
        }, cancellationToken);

    public Task<MailWork<OriginalMessage?>> OriginalAsync(IQuerySession session, Account account, string folder, string uid, CancellationToken cancellationToken) =>
        sessions.ReadAsync(session, account, async mailbox =>
            await mailbox.MessageAsync(folder, uid, cancellationToken) is { } stored ? new OriginalMessage(stored.Message, options.FallbackCharset) : null,
            cancellationToken);

    /// <summary>One attachment by its index among the message's attachments; a null value when there is none such.</summary>
    public Task<MailWork<AttachmentContent?>> AttachmentAsync(
        IQuerySession session, Account account, string folder, string uid, int index, CancellationToken cancellationToken) =>
        sessions.ReadAsync(session, account, async mailbox =>
        {
            var stored = await mailbox.MessageAsync(folder, uid, cancellationToken);
            if (stored?.Message.Attachments.ElementAtOrDefault(index) is not MimePart { Content: { } content } part)
            {
                return null;
            }

            using var decoded = new MemoryStream();
            await content.DecodeToAsync(decoded, cancellationToken);
            return new AttachmentContent(part.FileName ?? "attachment", decoded.ToArray());
        }, cancellationToken);

    /// <summary>Marks a message read or unread, flagged or not. POP3 keeps no marks: false, and nothing is asked of the server.</summary>
    public Task<MailWork<bool>> SetFlagAsync(
        IQuerySession session, Account account, string folder, uint uid, MailFlag flag, bool set, CancellationToken cancellationToken) =>
        OnImapAsync(session, account, imap => imap.SetFlagAsync(folder, uid, flag, set, cancellationToken), cancellationToken);

    /// <summary>Moves a message to another folder. POP3 has none: false.</summary>
    public Task<MailWork<bool>> MoveAsync(
        IQuerySession session, Account account, string folder, uint uid, string target, CancellationToken cancellationToken) =>
        OnImapAsync(session, account, imap => imap.MoveAsync(folder, uid, target, cancellationToken), cancellationToken);

    /// <summary>The folders the user chose to see (all when none), with their counts: the folder list beside search results.</summary>
    public Task<MailWork<IReadOnlyList<FolderView>>> FoldersAsync(
        IQuerySession session, Account account, IReadOnlyCollection<string> visible, CancellationToken cancellationToken) =>
        sessions.ReadAsync(session, account, mailbox => mailbox.FoldersAsync(visible, cancellationToken), cancellationToken);

    /// <summary>Every folder on the server, for Folder management; POP3 has none to list.</summary>
    public Task<MailWork<IReadOnlyList<ServerFolder>>> ServerFoldersAsync(IQuerySession session, Account account, CancellationToken cancellationToken) =>
        sessions.ReadAsync(session, account, mailbox => mailbox.Match(
            imap => imap.ServerFoldersAsync(cancellationToken), _ => Task.FromResult<IReadOnlyList<ServerFolder>>([])), cancellationToken);

    private Task<MailWork<bool>> OnImapAsync(IQuerySession session, Account account, Func<IImapMailbox, Task> action, CancellationToken cancellationToken) =>
        sessions.UseAsync(session, account, mailbox => mailbox.Match(
            async imap =>
            {
                await action(imap);
                return true;
            },
            _ => Task.FromResult(false)), cancellationToken);
}
