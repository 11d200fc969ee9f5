using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Bounces;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Infrastructure.Storage;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailAccounts.Infrastructure.Verification;

/// <summary>
/// How far the check has read a folder for bounces: live state, not history. <see cref="LastUid"/> is the highest UID
/// read under <see cref="UidValidity"/>; a POP3 inbox keeps the UIDLs it has read in <see cref="Seen"/> instead.
/// </summary>
public sealed record BounceCursor(string Id, Guid AccountId, string Folder, uint UidValidity, uint LastUid, IReadOnlyList<string> Seen, DateTimeOffset ReadAt)
{
    public static string IdOf(Guid accountId, string folder) => $"{accountId:N}/{folder}";
}

/// <summary>What one scan of an account read and what it found.</summary>
public sealed record BounceScanResult(int Read, int Candidates, int Bounces, int Marked, int Cleared, int Ignored, string? Problem)
{
    public static BounceScanResult Nothing { get; } = new(0, 0, 0, 0, 0, 0, null);
}

/// <summary>
/// Reads the new messages of an account's monitored folders for bounces of mail the system sent, and for mail from
/// addresses marked invalid. Header fields first, for every new message; the whole message only for a candidate
/// (<see cref="BounceCandidates"/>); nothing on the server is changed (EXAMINE and BODY.PEEK, as everywhere). A bounce
/// counts only when it names a message the system sent (its envelope id, or its Message-ID) and the address bounced
/// was one of that message's recipients; anything else is logged as ignored and marks nothing.
/// </summary>
public sealed class BounceScanner(MailSessions sessions, IDocumentStore store, VerificationOptions options, TimeProvider time, ILogger<BounceScanner> logger)
{
    private const int Batch = 200;

    public async Task<BounceScanResult> ScanAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        var account = await query.LoadOrReplayAsync<Account>(accountId, cancellationToken);
        if (account is not { Deleted: false, IsActive: true, Incoming: not null, NeedsReconnecting: false })
        {
            return BounceScanResult.Nothing;
        }

        var scan = new Scan(account);
        var work = await sessions.UseAsync(query, account,
            mailbox => mailbox.Match(imap => ImapAsync(scan, imap, cancellationToken), pop3 => Pop3Async(scan, pop3, cancellationToken)),
            cancellationToken);
        var problem = work.Problem is { } failed ? (work.FailedStage is { } stage ? $"{stage}: {failed}" : failed) : scan.Problem;
        if (problem is not null)
        {
            logger.LogWarning("Reading account {AccountId} for bounces: {Problem}", accountId, problem);
        }

        return new BounceScanResult(scan.Read, scan.Candidates, scan.Bounces, scan.Marked, scan.Cleared, scan.Ignored, problem);
    }

    private async Task<bool> ImapAsync(Scan scan, IImapMailbox imap, CancellationToken cancellationToken)
    {
        foreach (var folder in scan.Account.MonitoredFolders.Distinct())
        {
            FolderState state;
            try
            {
                state = await imap.StateAsync(folder, cancellationToken);
            }
            catch (MailKit.FolderNotFoundException)
            {
                scan.Problem = $"The folder \"{folder}\" is not on the server.";
                continue;
            }

            await ImapFolderAsync(scan, imap, state, cancellationToken);
        }

        return true;
    }

    private async Task ImapFolderAsync(Scan scan, IImapMailbox imap, FolderState state, CancellationToken cancellationToken)
    {
        var account = scan.Account;
        var folder = state.Folder;
        var cursor = await LoadCursorAsync(account.Id, folder, cancellationToken);
        uint first;
        if (cursor is null || cursor.UidValidity != state.UidValidity)
        {
            // The first look at this folder, or its UIDs are void: the mail of the last days, not the whole folder.
            var since = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-options.FirstLookDays);
            var recent = await imap.UidsAsync(folder, 1, null, since, null, cancellationToken);
            cursor = new BounceCursor(BounceCursor.IdOf(account.Id, folder), account.Id, folder, state.UidValidity, 0, [], time.GetUtcNow());
            if (recent.Count == 0)
            {
                await SaveCursorAsync(cursor with { LastUid = state.UidNext is { } none && none > 0 ? none - 1 : 0 }, cancellationToken);
                return;
            }

            first = recent[0];
        }
        else if (state.UidNext is { } next && next - 1 <= cursor.LastUid)
        {
            // Nothing arrived since the last check: no SELECT, no FETCH.
            return;
        }
        else
        {
            first = cursor.LastUid + 1;
        }

        var last = state.UidNext is { } uidNext && uidNext > 0 ? uidNext - 1 : uint.MaxValue;
        if (first > last)
        {
            return;
        }

        await foreach (var batch in imap.FetchAsync(folder, first, last, FetchParts.Headers, Batch, cancellationToken))
        {
            var messages = batch.Where(m => m.Uid >= first && m.Headers is not null).OrderBy(m => m.Uid).ToArray();
            if (messages.Length == 0)
            {
                continue;
            }

            var candidates = messages.Where(m => BounceCandidates.IsCandidate(m.Headers!)).Select(m => m.Uid).ToArray();
            var reports = new Dictionary<uint, BounceReport>();
            if (candidates.Length > 0)
            {
                await imap.FetchRawAsync(folder, candidates, (uid, raw, _) =>
                {
                    reports[uid] = Detect(raw);
                    return Task.CompletedTask;
                }, cancellationToken);
            }

            // One query for the senders of the whole batch: only an address with a mark or a count has anything to clear.
            var states = await AddressStatesAsync(messages.SelectMany(m => FromAddresses(m.Headers!)), cancellationToken);
            foreach (var message in messages)
            {
                var place = new Place(folder, state.UidValidity, message.Uid, message.InternalDate);
                await TakeAsync(scan, place, message.Headers!, reports.GetValueOrDefault(message.Uid), states, cancellationToken);
            }

            scan.Read += messages.Length;
            scan.Candidates += candidates.Length;
            cursor = cursor with { LastUid = Math.Max(cursor.LastUid, messages[^1].Uid), ReadAt = time.GetUtcNow() };
            await SaveCursorAsync(cursor, cancellationToken);
        }
    }

    private async Task<bool> Pop3Async(Scan scan, IPop3Mailbox pop3, CancellationToken cancellationToken)
    {
        const string folder = "INBOX";
        var uids = await pop3.UidsAsync(cancellationToken);
        var cursor = await LoadCursorAsync(scan.Account.Id, folder, cancellationToken);
        var seen = new HashSet<string>(cursor?.Seen ?? [], StringComparer.Ordinal);
        // The first look at an inbox with no dates to search: its newest messages only.
        var fresh = cursor is null ? uids.TakeLast(options.FirstLookPop3Messages).ToArray() : uids.Where(u => !seen.Contains(u)).ToArray();
        foreach (var uidl in fresh)
        {
            var headers = await pop3.HeadersAsync(uidl, cancellationToken);
            if (headers is null)
            {
                continue;
            }

            BounceReport? report = null;
            if (BounceCandidates.IsCandidate(headers))
            {
                scan.Candidates++;
                await pop3.RawAsync(uidl, (raw, _) =>
                {
                    report = Detect(raw);
                    return Task.CompletedTask;
                }, cancellationToken);
            }

            var states = await AddressStatesAsync(FromAddresses(headers), cancellationToken);
            await TakeAsync(scan, new Place(folder, 0, 0, null, uidl), headers, report, states, cancellationToken);
            scan.Read++;
        }

        // Only the UIDLs still on the server are kept: the cursor does not grow with mail deleted long ago.
        await SaveCursorAsync(new BounceCursor(BounceCursor.IdOf(scan.Account.Id, folder), scan.Account.Id, folder, 0, 0, [.. uids], time.GetUtcNow()),
            cancellationToken);
        return true;
    }

    private BounceReport Detect(Stream raw)
    {
        try
        {
            return BounceDetector.Read(raw);
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            return BounceReport.Not(ReportKind.NotABounce, "The message could not be read: " + e.Message);
        }
    }

    /// <summary>One message of a folder: a bounce of the system's mail is taken; any other message from an address clears its mark.</summary>
    private async Task TakeAsync(
        Scan scan, Place place, HeaderList headers, BounceReport? report, IReadOnlyDictionary<string, AddressState> states, CancellationToken cancellationToken)
    {
        if (report is { IsBounce: true })
        {
            scan.Bounces++;
            await TakeBounceAsync(scan, place, headers, report, cancellationToken);
            return;
        }

        if (report is { Kind: ReportKind.Delayed })
        {
            logger.LogInformation("A delay warning in {Folder} {Uid} of account {AccountId} marks nothing", place.Folder, place.Name, scan.Account.Id);
            return;
        }

        if (report is { Kind: not ReportKind.NotABounce and not ReportKind.AutoReply })
        {
            // A read receipt, a complaint or a challenge: machine-made, and not a sign the sender reads their mail.
            return;
        }

        // Mail from the address (an out-of-office reply included: it comes from a mailbox that exists) clears its mark.
        foreach (var address in FromAddresses(headers).Where(a => states.TryGetValue(a, out var s) && (s.Invalid || s.Soft.Count > 0)))
        {
            var evidence = $"{scan.Account.Id:N} {place.Folder} {place.Name}";
            var cleared = await AddressEvents.DecideAsync(store, address,
                state => AddressVerification.MailReceived(state, evidence, time.GetUtcNow()), cancellationToken);
            if (cleared.Count > 0)
            {
                scan.Cleared++;
                logger.LogInformation("Mail from {Address} in account {AccountId} cleared its mark", address, scan.Account.Id);
            }
        }
    }

    private async Task TakeBounceAsync(Scan scan, Place place, HeaderList headers, BounceReport report, CancellationToken cancellationToken)
    {
        var sent = await SentMailOfAsync(report, cancellationToken);
        if (sent is null)
        {
            scan.Ignored += report.Recipients.Count;
            logger.LogInformation(
                "Ignored a bounce in {Folder} {Uid} of account {AccountId}: it refers to no message the system sent (Message-ID {MessageId}, envelope id {EnvelopeId})",
                place.Folder, place.Name, scan.Account.Id, report.OriginalMessageId, report.EnvelopeId);
            return;
        }

        var recipients = new HashSet<string>((sent.RecipientAddresses ?? []).Select(AddressVerification.Normalise), StringComparer.Ordinal);
        var reportId = headers[HeaderId.MessageId] is { } id ? MimeKit.Utils.MimeUtils.ParseMessageId(id) ?? id.Trim() : null;
        var reportDate = DateOf(headers) ?? place.InternalDate ?? time.GetUtcNow();
        foreach (var bounced in report.Recipients)
        {
            if (!recipients.Contains(AddressVerification.Normalise(bounced.Address)))
            {
                scan.Ignored++;
                logger.LogInformation(
                    "Ignored a bounce in {Folder} {Uid} of account {AccountId}: {Address} was not a recipient of message {MailId}",
                    place.Folder, place.Name, scan.Account.Id, bounced.Address, sent.Id);
                continue;
            }

            var evidence = new BounceEvidence(BounceSource.Report, scan.Account.Id, sent.Id, sent.MessageId, place.Folder, place.UidValidity, place.Uid,
                reportId, reportDate);
            var events = await AddressEvents.DecideAsync(store, bounced.Address,
                state => AddressVerification.Bounced(state, bounced, evidence, options.Rules, time.GetUtcNow()), cancellationToken);
            if (events.OfType<AddressMarkedInvalid>().Any())
            {
                scan.Marked++;
            }
        }
    }

    /// <summary>The sent message a bounce is about: by its envelope id where the report quotes one of ours, else by its Message-ID.</summary>
    private async Task<SentMail?> SentMailOfAsync(BounceReport report, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        if (EnvelopeIds.MailOf(report.EnvelopeId) is { } mailId && await query.LoadAsync<SentMail>(mailId, cancellationToken) is { } byEnvelope)
        {
            return byEnvelope;
        }

        if (report.OriginalMessageId is not { Length: > 0 } original)
        {
            return null;
        }

        var messageId = original.Trim().Trim('<', '>').Trim();
        return await query.Query<SentMail>().Where(m => m.MessageId == messageId).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, AddressState>> AddressStatesAsync(IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        return await AddressStates.OfAsync(query, addresses, cancellationToken);
    }

    private async Task<BounceCursor?> LoadCursorAsync(Guid accountId, string folder, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<BounceCursor>(BounceCursor.IdOf(accountId, folder), cancellationToken);
    }

    private async Task SaveCursorAsync(BounceCursor cursor, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Store(cursor);
        await session.SaveChangesAsync(cancellationToken);
    }

    private static IReadOnlyList<string> FromAddresses(HeaderList headers)
    {
        if (headers[HeaderId.From] is not { } from || !InternetAddressList.TryParse(from, out var parsed))
        {
            return [];
        }

        return [.. parsed.Mailboxes.Select(m => AddressVerification.Normalise(m.Address)).Where(a => a.Contains('@', StringComparison.Ordinal)).Distinct()];
    }

    private static DateTimeOffset? DateOf(HeaderList headers) =>
        headers[HeaderId.Date] is { } date && MimeKit.Utils.DateUtils.TryParse(date, out var parsed) ? parsed : null;

    /// <summary>Where a message lies: a folder's UID, or a POP3 inbox's UIDL (<paramref name="Uidl"/>, with UID 0).</summary>
    private sealed record Place(string Folder, uint UidValidity, uint Uid, DateTimeOffset? InternalDate, string? Uidl = null)
    {
        public string Name => Uidl ?? $"{UidValidity}:{Uid}";
    }

    private sealed class Scan(Account account)
    {
        public Account Account { get; } = account;

        public int Read { get; set; }

        public int Candidates { get; set; }

        public int Bounces { get; set; }

        public int Marked { get; set; }

        public int Cleared { get; set; }

        public int Ignored { get; set; }

        public string? Problem { get; set; }
    }
}
