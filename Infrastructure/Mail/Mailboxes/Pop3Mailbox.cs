using MailKit.Net.Pop3;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>A POP3 mailbox: the inbox alone, messages named by their UIDL, read as seen (POP3 keeps no marks).</summary>
internal sealed partial class Pop3Mailbox(Pop3Client client, ParserOptions parsing) : IPop3Mailbox
{
    public bool IsConnected => client.IsConnected;

    public T Match<T>(Func<IImapMailbox, T> imap, Func<IPop3Mailbox, T> pop3) => pop3(this);

    /// <summary>POP3 cannot sort or thread on the server: newest first, always, and the page says so.</summary>
    public async Task<Listing> ListingAsync(
        IReadOnlyCollection<string> visible, string? folder, int page, int pageSize, ListOrder order, CancellationToken cancellationToken)
    {
        var messages = await PageAsync(page, pageSize, cancellationToken) with { Order = ListOrder.Newest };
        return new Listing([Inbox(messages.Total)], "INBOX", messages);
    }

    public async Task<IReadOnlyList<FolderView>> FoldersAsync(IReadOnlyCollection<string> visible, CancellationToken cancellationToken) =>
        [Inbox(await client.GetMessageCountAsync(cancellationToken))];

    public async Task<IReadOnlyList<FolderCount>> CountAsync(IReadOnlyCollection<string> folders, CancellationToken cancellationToken)
    {
        var count = await client.GetMessageCountAsync(cancellationToken);
        return [new FolderCount("INBOX", count, count)];
    }

    public async Task<StoredMessage?> MessageAsync(string folder, string id, CancellationToken cancellationToken)
    {
        var index = (await client.GetMessageUidsAsync(cancellationToken)).IndexOf(id);
        if (index < 0)
        {
            return null;
        }

        using var stream = await client.GetStreamAsync(index, cancellationToken: cancellationToken);
        return new StoredMessage(await MimeMessage.LoadAsync(parsing, stream, cancellationToken), Seen: true, Flagged: false);
    }

    /// <summary>The list shows the newest (last) message first: the newer one is the next in the server's order.</summary>
    public async Task<Neighbours> NeighboursAsync(string folder, string id, ListOrder order, int pageSize, CancellationToken cancellationToken)
    {
        var uids = await client.GetMessageUidsAsync(cancellationToken);
        var index = uids.IndexOf(id);
        return index < 0
            ? Neighbours.None
            : new Neighbours(index + 1 < uids.Count ? uids[index + 1] : null, index > 0 ? uids[index - 1] : null);
    }

    public async Task<IReadOnlyList<string>> UidsAsync(CancellationToken cancellationToken) =>
        [.. await client.GetMessageUidsAsync(cancellationToken)];

    public async Task<HeaderList?> HeadersAsync(string uid, CancellationToken cancellationToken)
    {
        var index = (await client.GetMessageUidsAsync(cancellationToken)).IndexOf(uid);
        return index < 0 ? null : await client.GetMessageHeadersAsync(index, cancellationToken);
    }

    public async Task<bool> RawAsync(string uid, Func<Stream, CancellationToken, Task> read, CancellationToken cancellationToken)
    {
        var index = (await client.GetMessageUidsAsync(cancellationToken)).IndexOf(uid);
        if (index < 0)
        {
            return false;
        }

        // RETR: the message stays on the server (only DELE and QUIT would remove it).
        await using var stream = await client.GetStreamAsync(index, cancellationToken: cancellationToken);
        await read(stream, cancellationToken);
        return true;
    }

    /// <summary>POP3 has one mailbox, and no read or unread marks to count.</summary>
    private static FolderView Inbox(int total) => new("INBOX", "INBOX", 0, 0, total, null);

    /// <summary>
    /// One page, newest first: UIDL and LIST for the whole mailbox (one line a message), then TOP with no body lines for
    /// the page's messages alone, never their whole content.
    /// </summary>
    private async Task<MessagePage> PageAsync(int page, int pageSize, CancellationToken cancellationToken)
    {
        var count = await client.GetMessageCountAsync(cancellationToken);
        var pageCount = Math.Max(1, (count + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pageCount);
        if (count == 0)
        {
            return new MessagePage([], 0, 1, 1);
        }

        var uids = await client.GetMessageUidsAsync(cancellationToken);
        var sizes = await client.GetMessageSizesAsync(cancellationToken);
        var rows = new List<MessageRow>();
        var newest = count - 1 - (page - 1) * pageSize;
        for (var index = newest; index >= 0 && index > newest - pageSize; index--)
        {
            var headers = await client.GetMessageHeadersAsync(index, cancellationToken);
            var from = MailHeaders.SenderOf(MailHeaders.From(headers, parsing));
            var date = MimeKit.Utils.DateUtils.TryParse(headers[HeaderId.Date] ?? "", out var parsed) ? parsed : DateTimeOffset.MinValue;
            var subject = MailHeaders.Subject(headers, parsing) ?? "";
            rows.Add(new MessageRow(uids[index], from, subject, date, (uint)sizes[index], Seen: true, Flagged: false, HasAttachments: false, ""));
        }

        return new MessagePage(rows, count, page, pageCount);
    }
}
