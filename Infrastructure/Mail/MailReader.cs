using Marten;
using MailKit;
using MailKit.Net.Imap;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Secrets;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail;

public sealed record FolderView(string FullName, string Name, int Depth, int Unread, int Total, string? SpecialUse);

/// <summary>A row of the message list; <paramref name="Id"/> is the IMAP UID or the POP3 UIDL.</summary>
public sealed record MessageRow(string Id, string From, string Subject, DateTimeOffset Date, uint Size, bool Seen, bool Flagged, bool HasAttachments, string Preview);

public sealed record MessagePage(IReadOnlyList<MessageRow> Rows, int Total, int Page, int PageCount);

/// <summary>What the message list shows: the folders with their counts, the folder shown and one page of it.</summary>
public sealed record Listing(IReadOnlyList<FolderView> Folders, string Folder, MessagePage Page);

/// <summary>What a piece of work on the server gave, or why it could not be done: the failed stage and the server's words.</summary>
public sealed record MailWork<T>(T? Value, TestStage? FailedStage, string? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// Reads mail that stays on the server, fetching exactly what the page shows; nothing read here is stored. Each request
/// has its connection to itself (a MailKit client runs one command at a time): an IMAP connection that a previous
/// request of the same account left in the <see cref="MailConnectionPool"/>, or a new one.
/// </summary>
public sealed class MailReader(MailConnector connector, SecretVault vault, MailConnectionPool pool, MailOptions options)
{
    /// <summary>
    /// How received mail is parsed: header text written in 8 bits without encoded words is read as UTF-8 where it is
    /// valid UTF-8, otherwise in the fallback charset, just as bodies are (MimeKit would otherwise read it as Latin-1).
    /// </summary>
    public ParserOptions Parsing { get; } = ParsingFor(options.FallbackCharset);

    public static ParserOptions ParsingFor(string fallbackCharset)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        return new ParserOptions { CharsetEncoding = System.Text.Encoding.GetEncoding(fallbackCharset) };
    }

    /// <summary>
    /// The protocol logger each new connection gets. None by default; the listing benchmark counts commands with it.
    /// </summary>
    public Func<IProtocolLogger> ProtocolLoggers { get; init; } = () => new NullProtocolLogger();

    /// <summary>
    /// Signs in (or takes a signed-in connection from the pool), does the work, and leaves the connection for the
    /// next request, or signs out. A server that refuses or fails becomes a problem to show in the page, never an
    /// error page: the rest of the client keeps working. A connection whose work failed is never reused.
    /// </summary>
    public Task<MailWork<T>> UseAsync<T>(IQuerySession session, Account account, Func<MailService, Task<T>> work, CancellationToken cancellationToken) =>
        UseAsync(account, token => vault.RevealAsync(session, account.Incoming!.PasswordSecretId, token), work, cancellationToken);

    /// <summary>The same, with the password from elsewhere than the vault: the listing benchmark runs without a database.</summary>
    public async Task<MailWork<T>> UseAsync<T>(
        Account account, Func<CancellationToken, Task<string?>> password, Func<MailService, Task<T>> work, CancellationToken cancellationToken)
    {
        var key = pool.Keeps && account.Incoming is { Protocol: IncomingProtocol.Imap } incoming ? MailConnectionKey.For(account, incoming) : null;
        MailService? client = key is null ? null : pool.Take(key);
        var succeeded = false;
        try
        {
            if (client is null)
            {
                (client, var report) = await OpenAsync(account, password, cancellationToken);
                if (client is null)
                {
                    return new MailWork<T>(default, report.Failure!.Stage, report.Failure.Detail);
                }
            }

            var value = await work(client);
            succeeded = true;
            return new MailWork<T>(value, null, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (IsServerTrouble(e))
        {
            // A server that stalls (a read timed out), hangs up, answers nonsense, or a password the key ring can no
            // longer open: the page or the handler gets the problem to show or retry, never an exception.
            return new MailWork<T>(default, null, e.Message);
        }
        finally
        {
            if (client is not null && (!succeeded || key is null || !pool.Return(key, (ImapClient)client)))
            {
                await IncomingTester.DisconnectQuietlyAsync(client);
                client.Dispose();
            }
        }
    }

    /// <summary>What MailKit, the network and the vault throw when a server or the line misbehaves (not a bug of ours).</summary>
    public static bool IsServerTrouble(Exception e) =>
        e is FolderNotFoundException or MessageNotFoundException or CommandException or ProtocolException or IOException or TimeoutException
            or System.Net.Sockets.SocketException or OperationCanceledException or MailKit.Security.AuthenticationException
            or System.Security.Cryptography.CryptographicException or ServiceNotConnectedException or ServiceNotAuthenticatedException;

    /// <summary>Signs in to the account's IMAP or POP3 server; the caller disposes the client. Null with a report when that fails.</summary>
    private async Task<(MailService? Client, TestReport Report)> OpenAsync(
        Account account, Func<CancellationToken, Task<string?>> password, CancellationToken cancellationToken)
    {
        var report = new TestReport();
        if (account.Incoming is not { } incoming)
        {
            report.Fail(TestStage.Connection, ReportText.Of("Connection.NoIncomingServer"));
            return (null, report);
        }

        var request = new IncomingRequest(incoming.Protocol, new ServerEndpoint(incoming.Host, incoming.Port, incoming.Security), incoming.Login,
            await password(cancellationToken) ?? "", account.TrustedCertificates);
        MailService client = incoming.Protocol == IncomingProtocol.Imap
            ? new ImapClient(ProtocolLoggers())
            : new MailKit.Net.Pop3.Pop3Client(ProtocolLoggers());
        if (await connector.ConnectAsync(client, request.Endpoint, request.Trusted, report, cancellationToken)
            && await IncomingTester.AuthenticateAsync(client, request.Login, request.Password, report, cancellationToken))
        {
            return (client, report);
        }

        client.Dispose();
        return (null, report);
    }

    /// <summary>
    /// The work of the message list, whatever the protocol: the folders and one page of the chosen folder (the first
    /// visible one when none is chosen). The page and the listing benchmark both run this.
    /// </summary>
    public static async Task<Listing> ListingAsync(
        MailService client, IReadOnlyCollection<string> visible, string? folder, int page, int pageSize, ParserOptions parsing, CancellationToken cancellationToken)
    {
        if (client is ImapClient imap)
        {
            // The page first when its folder is known (the inbox comes first in the list): the folder list's STATUS
            // then reads the folder the page opened, where asking first makes the server open a large folder twice.
            var known = folder ?? (visible.Count == 0 || visible.Contains("INBOX") ? "INBOX" : null);
            if (known is not null)
            {
                var shown = await PageAsync(imap, known, page, pageSize, parsing, cancellationToken);
                return new Listing(await FoldersAsync(imap, visible, cancellationToken), known, shown);
            }

            var folders = await FoldersAsync(imap, visible, cancellationToken);
            var chosen = folders.FirstOrDefault()?.FullName ?? "INBOX";
            return new Listing(folders, chosen, await PageAsync(imap, chosen, page, pageSize, parsing, cancellationToken));
        }

        // POP3 has one mailbox, and no read or unread marks to count.
        var messages = await Pop3PageAsync((MailKit.Net.Pop3.Pop3Client)client, page, pageSize, parsing, cancellationToken);
        return new Listing([new FolderView("INBOX", "INBOX", 0, 0, messages.Total, null)], "INBOX", messages);
    }

    /// <summary>The folders the user chose to see (all when none), with their counts from STATUS.</summary>
    public static async Task<IReadOnlyList<FolderView>> FoldersAsync(ImapClient client, IReadOnlyCollection<string> visible, CancellationToken cancellationToken)
    {
        var all = client.PersonalNamespaces.Count > 0
            ? await client.GetFoldersAsync(client.PersonalNamespaces[0], StatusItems.Unread | StatusItems.Count, false, cancellationToken)
            : [client.Inbox];
        return all
            .Where(f => !f.Attributes.HasFlag(FolderAttributes.NonExistent) && !f.Attributes.HasFlag(FolderAttributes.NoSelect))
            .Where(f => visible.Count == 0 || visible.Contains(f.FullName))
            .OrderBy(f => f.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(f => f.FullName, StringComparer.OrdinalIgnoreCase)
            .Select(f => new FolderView(
                f.FullName, f.Name, f.DirectorySeparator == '\0' ? 0 : f.FullName.Count(c => c == f.DirectorySeparator),
                f.Unread, f.Count, f.Attributes.HasFlag(FolderAttributes.Sent) ? "Sent" : f.Attributes.HasFlag(FolderAttributes.Trash) ? "Trash" : null))
            .ToArray();
    }

    /// <summary>
    /// One page, newest first: the UIDs in arrival order (see <see cref="NewestFirst"/>), then envelope, flags, size
    /// and preview for that page's UIDs alone.
    /// </summary>
    public static async Task<MessagePage> PageAsync(
        ImapClient client, string folderName, int page, int pageSize, ParserOptions parsing, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        // A kept connection may have the folder open still; selecting it again would cost a large folder as much as the
        // page itself, and NewestFirst asks the server whether the folder changed.
        if (!folder.IsOpen)
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        }

        var uids = await NewestFirst.UidsAsync(client, folder, cancellationToken);
        var pageCount = Math.Max(1, (uids.Count + pageSize - 1) / pageSize);
        page = Math.Clamp(page, 1, pageCount);
        var slice = uids.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        if (slice.Count == 0)
        {
            return new MessagePage([], uids.Count, page, pageCount);
        }

        var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.Size
            | MessageSummaryItems.InternalDate | MessageSummaryItems.BodyStructure | MessageSummaryItems.PreviewText;
        // From and Subject as written, besides the envelope: MailKit drops an envelope address whose local part needs
        // quoting ("<x>"@host), which left the row without a sender, and reads 8-bit header text as Latin-1.
        var request = new FetchRequest(items) { Headers = new HeaderSet([HeaderId.From, HeaderId.Subject]) };
        var summaries = await folder.FetchAsync(slice, request, cancellationToken);
        var order = slice.Select((uid, index) => (uid, index)).ToDictionary(p => p.uid, p => p.index);
        var rows = summaries
            .OrderBy(s => order[s.UniqueId])
            .Select(s => new MessageRow(
                s.UniqueId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                SenderOf(FromHeader(s.Headers, parsing) ?? s.Envelope?.From),
                SubjectHeader(s.Headers, parsing) ?? s.Envelope?.Subject ?? "",
                s.Envelope?.Date ?? s.InternalDate ?? DateTimeOffset.MinValue,
                s.Size ?? 0,
                s.Flags?.HasFlag(MessageFlags.Seen) == true,
                s.Flags?.HasFlag(MessageFlags.Flagged) == true,
                s.Attachments.Any(),
                s.PreviewText ?? ""))
            .ToArray();
        return new MessagePage(rows, uids.Count, page, pageCount);
    }

    /// <summary>The whole message, fetched with BODY.PEEK so that opening it does not mark it read.</summary>
    public static async Task<MimeMessage?> MessageAsync(ImapClient client, string folderName, uint uid, ParserOptions parsing, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        try
        {
            using var stream = await folder.GetStreamAsync(new UniqueId(uid), cancellationToken);
            return await MimeMessage.LoadAsync(parsing, stream, cancellationToken);
        }
        catch (MessageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Sets or clears one flag (\Seen, \Flagged) on one message.</summary>
    public static async Task SetFlagAsync(ImapClient client, string folderName, uint uid, MessageFlags flag, bool set, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var request = new StoreFlagsRequest(set ? StoreAction.Add : StoreAction.Remove, flag) { Silent = true };
        await folder.StoreAsync(new UniqueId(uid), request, cancellationToken);
    }

    /// <summary>Moves one message to another folder (MOVE where the server has it, otherwise COPY and expunge).</summary>
    public static async Task MoveAsync(ImapClient client, string folderName, uint uid, string target, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        var destination = await client.GetFolderAsync(target, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        await folder.MoveToAsync(new UniqueId(uid), destination, cancellationToken);
    }

    public static async Task<MessageFlags> FlagsAsync(ImapClient client, string folderName, uint uid, CancellationToken cancellationToken)
    {
        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var summaries = await folder.FetchAsync([new UniqueId(uid)], MessageSummaryItems.Flags, cancellationToken);
        return summaries.FirstOrDefault()?.Flags ?? MessageFlags.None;
    }

    /// <summary>
    /// One page of a POP3 mailbox, newest first: UIDL and LIST for the whole mailbox (one line a message), then
    /// TOP with no body lines for the page's messages alone, never their whole content.
    /// </summary>
    public static async Task<MessagePage> Pop3PageAsync(
        MailKit.Net.Pop3.Pop3Client client, int page, int pageSize, ParserOptions parsing, CancellationToken cancellationToken)
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
            var from = SenderOf(FromHeader(headers, parsing));
            var date = MimeKit.Utils.DateUtils.TryParse(headers[HeaderId.Date] ?? "", out var parsed) ? parsed : DateTimeOffset.MinValue;
            var subject = SubjectHeader(headers, parsing) ?? "";
            rows.Add(new MessageRow(uids[index], from, subject, date, (uint)sizes[index], Seen: true, Flagged: false, HasAttachments: false, ""));
        }

        return new MessagePage(rows, count, page, pageCount);
    }

    /// <summary>The sender as a list shows it: the name, or the address where there is none.</summary>
    private static string SenderOf(InternetAddressList? from) =>
        from?.Mailboxes.FirstOrDefault() is { } sender ? (string.IsNullOrEmpty(sender.Name) ? sender.Address : sender.Name) : "";

    /// <summary>The From header parsed from its raw bytes, so that encoded words decode only after the structure is known.</summary>
    private static InternetAddressList? FromHeader(HeaderList? headers, ParserOptions parsing) =>
        headers?.FirstOrDefault(h => h.Id == HeaderId.From) is { } header && InternetAddressList.TryParse(parsing, header.RawValue, out var list)
        && list.Mailboxes.Any()
            ? list
            : null;

    private static string? SubjectHeader(HeaderList? headers, ParserOptions parsing) =>
        headers?.FirstOrDefault(h => h.Id == HeaderId.Subject) is { } header ? Header.Unfold(MimeKit.Utils.Rfc2047.DecodeText(parsing, header.RawValue)).Trim() : null;

    /// <summary>One POP3 message by its UIDL; null when it is no longer there.</summary>
    public static async Task<MimeMessage?> Pop3MessageAsync(
        MailKit.Net.Pop3.Pop3Client client, string uid, ParserOptions parsing, CancellationToken cancellationToken)
    {
        var index = (await client.GetMessageUidsAsync(cancellationToken)).IndexOf(uid);
        if (index < 0)
        {
            return null;
        }

        using var stream = await client.GetStreamAsync(index, cancellationToken: cancellationToken);
        return await MimeMessage.LoadAsync(parsing, stream, cancellationToken);
    }
}
