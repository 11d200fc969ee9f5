using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MailAccounts.Infrastructure.Import;

/// <summary>
/// What one run did. <paramref name="Busy"/>: another worker (of this host or another) is importing the account, so
/// this run did nothing. <paramref name="More"/>: the run stopped at the end of its time slice with work left.
/// </summary>
public sealed record ImportResult(int Fetched, int Imported, int FoundAgain, int Quarantined, int SkippedFolders, bool Busy, bool More, string? Problem)
{
    public static ImportResult Nothing { get; } = new(0, 0, 0, 0, 0, false, false, null);
}

/// <summary>
/// Imports an account's mail into the system, never changing the server: folders are opened read-only, bodies are
/// fetched with BODY.PEEK, nothing is flagged, moved or deleted, and POP3 mail stays on the server.
/// <list type="bullet">
/// <item>Incremental: a cursor per folder (UIDVALIDITY, the highest UID imported, UIDNEXT and HIGHESTMODSEQ at the
/// end of the last run). A folder whose STATUS is what the cursor says is skipped without SELECT; otherwise only UIDs
/// above the cursor are fetched, and UIDs already imported (by hand, say) are not fetched again. POP3's cursor is the
/// set of UIDLs seen.</item>
/// <item>Resumable: UIDs in batches (a number and a byte cap), each batch's letters and the cursor's advance committed
/// in one transaction, so a crash resumes after the last committed batch.</item>
/// <item>Nothing silently skipped: a message that cannot be read or stored is quarantined with the reason and tried
/// again on later runs, and the rest of the folder goes on.</item>
/// <item>A UIDVALIDITY change re-reads the folder and matches its letters by key: no duplicates, nothing deleted.</item>
/// </list>
/// </summary>
public sealed class ImportEngine(
    IDocumentStore store, MailSessions sessions, LetterIntake intake, ImportOptions options, TimeProvider time, ILogger<ImportEngine> logger)
{
    /// <summary>
    /// How long one run may go on before it hands the rest to the next message on the queue, so that one large first
    /// import neither outlives the handler's time limit nor keeps other accounts waiting for a worker.
    /// </summary>
    public TimeSpan Slice { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Raised after each batch committed: the interruption specs stop a run between two batches with it.</summary>
    public event Action? BatchCommitted;

    /// <summary>Imports what is due in the account's import folders (<paramref name="only"/>: these UIDs of one folder, by hand).</summary>
    public async Task<ImportResult> ImportAccountAsync(
        Guid accountId, Guid by, CancellationToken cancellationToken, bool continues = false, (string Folder, IReadOnlyList<uint> Uids)? only = null)
    {
        await using var query = store.QuerySession();
        var account = await query.LoadOrReplayAsync<Account>(accountId, cancellationToken);
        if (account is not { Deleted: false, IsActive: true, Incoming: not null, NeedsReconnecting: false } || (only is null && !account.Imports))
        {
            return ImportResult.Nothing;
        }

        await using var held = await AccountLock.TryTakeAsync(ImportedMail.DataSourceOf(query), accountId, cancellationToken);
        if (held is null)
        {
            return ImportResult.Nothing with { Busy = true };
        }

        var run = new ImportRun(account, by, time.GetUtcNow() + Slice,
            await StartAsync(accountId, continues, cancellationToken));
        var work = await sessions.UseAsync(query, account,
            mailbox => mailbox.Match(
                imap => ImapAsync(run, imap, only, cancellationToken),
                pop3 => Pop3Async(run, pop3, only?.Uids.Select(u => u.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), cancellationToken)),
            cancellationToken);
        var problem = work.Problem is { } failed ? (work.FailedStage is { } stage ? $"{stage}: {failed}" : failed) : run.Problem;
        await FinishAsync(run, problem, cancellationToken);
        if (problem is not null)
        {
            logger.LogWarning("Importing account {AccountId}: {Problem}", accountId, problem);
        }

        return new ImportResult(run.Fetched, run.Imported, run.FoundAgain, run.Quarantined, run.SkippedFolders, false, run.More && problem is null, problem);
    }

    private async Task<bool> ImapAsync(ImportRun run, IImapMailbox imap, (string Folder, IReadOnlyList<uint> Uids)? only, CancellationToken cancellationToken)
    {
        var folders = only is { } chosen ? [chosen.Folder] : run.Account.ImportFolders;
        foreach (var folder in folders)
        {
            if (run.OutOfTime(time))
            {
                run.More = true;
                break;
            }

            FolderState state;
            try
            {
                state = await imap.StateAsync(folder, cancellationToken);
            }
            catch (MailKit.FolderNotFoundException)
            {
                run.Problem = $"The folder \"{folder}\" is not on the server.";
                continue;
            }

            await ImapFolderAsync(run, imap, state, only?.Uids, cancellationToken);
        }

        return true;
    }

    private async Task ImapFolderAsync(ImportRun run, IImapMailbox imap, FolderState state, IReadOnlyList<uint>? only, CancellationToken cancellationToken)
    {
        var account = run.Account;
        var folder = state.Folder;
        var wanted = account.Import?.Since;
        await using var query = store.QuerySession();
        var cursor = await query.LoadAsync<ImportCursor>(ImportCursor.IdOf(account.Id, folder), cancellationToken);
        var due = (await DueAsync(query, account.Id, folder, state.UidValidity, cancellationToken))
            .Select(q => uint.TryParse(q.Place.Uid, out var uid) ? uid : 0).Where(u => u > 0).ToArray();
        if (only is null && cursor is { Complete: true } c && c.UidValidity == state.UidValidity && c.UidNext == state.UidNext
            && c.HighestModSeq == state.HighestModSeq && Covers(c.Since, wanted) && due.Length == 0)
        {
            // Nothing arrived, nothing changed, nothing asked for: no SELECT, no FETCH.
            run.SkippedFolders++;
            return;
        }

        if (cursor is null || cursor.UidValidity != state.UidValidity)
        {
            // A new folder, or its UIDs are void: read it again; its letters are matched by key, never imported twice.
            cursor = new ImportCursor(ImportCursor.IdOf(account.Id, folder), account.Id, folder, state.UidValidity, 0, null, null, wanted, false);
        }

        List<uint> candidates;
        if (only is not null)
        {
            candidates = [.. only];
        }
        else
        {
            candidates = [.. await imap.UidsAsync(folder, cursor.HighestUid + 1, null, cursor.HighestUid == 0 ? wanted : null, null, cancellationToken)];
            if (cursor.HighestUid > 0 && Earlier(wanted, cursor.Since))
            {
                // The first day moved back: the older mail below the cursor is filled in.
                candidates.AddRange(await imap.UidsAsync(folder, 1, cursor.HighestUid, wanted, cursor.Since, cancellationToken));
            }
        }

        var place = (uint uid) => new LetterPlace(account.Id, folder, state.UidValidity, uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var known = await KnownAsync(query, account.Id, folder, state.UidValidity, candidates.Select(u => place(u).Uid).ToArray(), cancellationToken);
        var todo = candidates.Where(u => !known.Contains(place(u).Uid)).Concat(due).Distinct().Order().ToList();
        run.Total += todo.Count;
        // As many messages are prepared at once as there are cores: parsing, hashing and compressing are the work.
        using var slots = new SemaphoreSlim(Environment.ProcessorCount);
        // A batch commits while the next one is fetched and prepared, and two batches may be in PostgreSQL at once (one
        // writing while the other waits for its commit to reach the disk); they commit in order, so the cursor only ever
        // moves over what is committed. A commit begun goes on to its end when the run is stopped; a stopped run begins none.
        var committing = new CommitQueue(Depth);
        try
        {
            foreach (var chunk in Batches(run, todo))
            {
                var preparing = new List<(LetterPlace Place, Task<Prepared> Prepared)>();
                var committed = new HashSet<uint>();
                long bytes = 0;
                async Task<List<(LetterPlace Place, Prepared Prepared)>> PreparedAsync()
                {
                    var pending = new List<(LetterPlace Place, Prepared Prepared)>(preparing.Count);
                    foreach (var (letterPlace, task) in preparing)
                    {
                        pending.Add((letterPlace, await task));
                    }

                    preparing.Clear();
                    return pending;
                }

                await imap.FetchRawAsync(folder, chunk, async (uid, stream, token) =>
                {
                    // A message of the usual size is copied out of the literal and prepared on another core while the next
                    // one is read; a large one is prepared as it streams, never whole in memory.
                    long size;
                    if (stream.CanSeek && stream.Length - stream.Position < LetterIntake.InMemory)
                    {
                        // In a pooled array: a literal of the usual size is copied, prepared and forgotten tens of times a second.
                        size = stream.Length - stream.Position;
                        var copy = System.Buffers.ArrayPool<byte>.Shared.Rent((int)size);
                        var length = (int)size;
                        await stream.ReadExactlyAsync(copy.AsMemory(0, length), token);
                        await slots.WaitAsync(token);
                        preparing.Add((place(uid), Task.Run(async () =>
                        {
                            try
                            {
                                return await intake.PrepareAsync(new MemoryStream(copy, 0, length, writable: false, publiclyVisible: true), token);
                            }
                            finally
                            {
                                System.Buffers.ArrayPool<byte>.Shared.Return(copy);
                                slots.Release();
                            }
                        }, token)));
                    }
                    else
                    {
                        var prepared = await intake.PrepareAsync(stream, token);
                        preparing.Add((place(uid), Task.FromResult(prepared)));
                        size = prepared.Letter?.Size ?? 0;
                    }

                    bytes += size;
                    if (bytes >= options.BatchBytes)
                    {
                        // The byte cap closes the batch early; the cursor moves up to the UIDs committed without a gap.
                        var pending = await PreparedAsync();
                        committed.UnionWith(pending.Select(p => UidOf(p.Place)));
                        var advanced = only is null ? Advanced(cursor, chunk, committed) : null;
                        await committing.DrainAsync();
                        await CommitAsync(run, pending, advanced, CancellationToken.None);
                        cursor = advanced ?? cursor;
                        bytes = 0;
                    }
                }, cancellationToken);
                // The whole chunk is done: a UID that vanished meanwhile had nothing to import, and the cursor passes it.
                var end = only is null ? cursor with { HighestUid = Math.Max(cursor.HighestUid, chunk.Max()) } : null;
                var ready = await PreparedAsync();
                await committing.StartAsync(before => CommitAsync(run, ready, end, CancellationToken.None, before), cancellationToken);
                cursor = end ?? cursor;
            }
        }
        catch
        {
            // The batches committing go on to their end (or fail alone) before the run reports how it ended.
            await committing.DrainQuietlyAsync();
            throw;
        }

        await committing.DrainAsync();

        if (!run.More && only is null)
        {
            // Everything below UIDNEXT is imported, quarantined or outside the chosen days.
            var highest = state.UidNext is { } next && next > 0 ? Math.Max(cursor.HighestUid, next - 1) : cursor.HighestUid;
            cursor = cursor with { HighestUid = highest, UidNext = state.UidNext, HighestModSeq = state.HighestModSeq, Since = wanted, Complete = true };
            await using var session = store.LightweightSession();
            session.Store(cursor);
            await session.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The work in batches of <see cref="ImportOptions.BatchMessages"/>, for as long as the run's time slice lasts; a run
    /// stopped by its slice says there is <see cref="ImportRun.More"/> to do.
    /// </summary>
    private IEnumerable<T[]> Batches<T>(ImportRun run, IEnumerable<T> todo)
    {
        foreach (var chunk in todo.Chunk(options.BatchMessages))
        {
            if (run.OutOfTime(time))
            {
                run.More = true;
                yield break;
            }

            yield return chunk;
        }
    }

    /// <summary>The cursor up to the highest UID of the chunk below which every UID of the chunk is committed.</summary>
    private static ImportCursor Advanced(ImportCursor cursor, uint[] chunk, HashSet<uint> committed)
    {
        var highest = cursor.HighestUid;
        foreach (var uid in chunk.Order())
        {
            if (!committed.Contains(uid))
            {
                break;
            }

            highest = Math.Max(highest, uid);
        }

        return cursor with { HighestUid = highest };
    }

    private static uint UidOf(LetterPlace place) => uint.Parse(place.Uid, System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> Pop3Async(ImportRun run, IPop3Mailbox pop3, IReadOnlyList<string>? only, CancellationToken cancellationToken)
    {
        const string inbox = "INBOX";
        var account = run.Account;
        var wanted = account.Import?.Since;
        var uids = only ?? await pop3.UidsAsync(cancellationToken);
        await using var query = store.QuerySession();
        var cursor = await query.LoadAsync<ImportCursor>(ImportCursor.IdOf(account.Id, inbox), cancellationToken);
        if (only is null && cursor is not null && Earlier(wanted, cursor.Since))
        {
            // The first day moved back: the messages passed over as too old are looked at again.
            await ForgetPassedOverAsync(account.Id, cancellationToken);
        }

        var due = (await DueAsync(query, account.Id, inbox, 0, cancellationToken)).Select(q => q.Place.Uid).ToHashSet(StringComparer.Ordinal);
        var known = await KnownAsync(query, account.Id, inbox, 0, uids, cancellationToken, includingPassedOver: true);
        var todo = uids.Where(u => !known.Contains(u) || due.Contains(u)).Distinct(StringComparer.Ordinal).ToList();
        run.Total += todo.Count;
        foreach (var chunk in Batches(run, todo))
        {
            var pending = new List<(LetterPlace Place, Prepared Prepared)>();
            var passedOver = new List<string>();
            foreach (var uid in chunk)
            {
                if (only is null && wanted is { } since && !due.Contains(uid) && await pop3.HeadersAsync(uid, cancellationToken) is { } headers
                    && ArrivedBefore(headers, since))
                {
                    passedOver.Add(uid);
                    continue;
                }

                await pop3.RawAsync(uid, async (stream, token) => pending.Add((new LetterPlace(account.Id, inbox, 0, uid), await intake.PrepareAsync(stream, token))),
                    cancellationToken);
            }

            await CommitAsync(run, pending, null, cancellationToken, passedOver: passedOver.Select(u => new LetterPlace(account.Id, inbox, 0, u)).ToArray());
        }

        if (!run.More && only is null)
        {
            await using var session = store.LightweightSession();
            session.Store(new ImportCursor(ImportCursor.IdOf(account.Id, inbox), account.Id, inbox, 0, 0, null, null, wanted, true));
            await session.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>Batches in PostgreSQL at once: one writing, one waiting for the commit before it to reach the disk.</summary>
    private const int Depth = 2;

    /// <summary>
    /// Commits one batch: its letters, places, quarantined messages, the cursor's advance and the progress, in one
    /// transaction, which commits after the batch <paramref name="before"/> it has. When the database refuses the batch,
    /// each message is committed alone, and one it refuses alone is quarantined with the database's words, so that one
    /// odd message never holds back the rest.
    /// </summary>
    private async Task CommitAsync(
        ImportRun run, List<(LetterPlace Place, Prepared Prepared)> pending, ImportCursor? cursor, CancellationToken cancellationToken,
        Task? before = null, IReadOnlyList<LetterPlace>? passedOver = null)
    {
        run.Handed++;
        try
        {
            await CommitOnceAsync(run, pending, cursor, passedOver ?? [], cancellationToken, before);
        }
        catch (Exception e) when (pending.Count > 0 && !cancellationToken.IsCancellationRequested && DatabaseConnections.ClientFailure(e) is PostgresException)
        {
            if (before is not null)
            {
                await before;
            }

            await CommitAloneAsync(run, pending, cursor, passedOver, e, cancellationToken);
        }
        finally
        {
            foreach (var (_, prepared) in pending)
            {
                if (prepared.Letter is { } letter)
                {
                    await letter.DisposeAsync();
                }
            }
        }
    }

    private async Task CommitAloneAsync(
        ImportRun run, List<(LetterPlace Place, Prepared Prepared)> pending, ImportCursor? cursor, IReadOnlyList<LetterPlace>? passedOver, Exception e,
        CancellationToken cancellationToken)
    {
        logger.LogWarning(e, "A batch of account {AccountId} was refused; committing its messages one by one", run.Account.Id);
        foreach (var one in pending)
        {
            try
            {
                await CommitOnceAsync(run, [one], null, [], cancellationToken);
            }
            catch (Exception refused) when (DatabaseConnections.ClientFailure(refused) is PostgresException postgres)
            {
                await CommitOnceAsync(run, [(one.Place, new Prepared(null, $"The database refused it: {postgres.MessageText}"))], null, [], cancellationToken);
            }
        }

        await CommitOnceAsync(run, [], cursor, passedOver ?? [], cancellationToken);
    }

    private async Task CommitOnceAsync(
        ImportRun run, IReadOnlyList<(LetterPlace Place, Prepared Prepared)> pending, ImportCursor? cursor, IReadOnlyList<LetterPlace> passedOver,
        CancellationToken cancellationToken, Task? before = null)
    {
        await using var connection = await ImportedMail.DataSourceOf(store).OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        ImportBatch batch;
        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            batch = new ImportBatch(session, run.By, time.GetUtcNow());
            await batch.PrefetchAsync(
                [.. pending.Select(p => p.Prepared.Letter?.LetterId).OfType<Guid>().Distinct()],
                [.. pending.Select(p => LetterKey.QuarantineId(p.Place)).Distinct()], cancellationToken);
            foreach (var (place, prepared) in pending)
            {
                if (prepared.Letter is { } letter)
                {
                    await batch.AddAsync(place, letter, cancellationToken);
                }
                else
                {
                    await batch.QuarantineAsync(place, prepared.Problem ?? "unknown", cancellationToken);
                }
            }

            foreach (var place in passedOver)
            {
                batch.PassOver(place);
            }

            await session.SaveChangesAsync(cancellationToken);
        }

        // The batch before commits first; the cursor and the progress (rows every batch writes) are written after it,
        // so that this batch never waits on its locks while it writes its letters.
        if (before is not null)
        {
            await before;
        }

        var progress = run.Progress with { Done = run.Progress.Done + pending.Count + passedOver.Count, Total = Math.Max(run.Progress.Total, run.Total + run.Base) };
        await using (var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)))
        {
            if (cursor is not null)
            {
                session.Store(cursor);
            }

            session.Store(progress);
            await session.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        run.Progress = progress;
        run.Fetched += pending.Count;
        run.Imported += batch.Imported;
        run.FoundAgain += batch.FoundAgain;
        run.Quarantined += batch.Quarantined;
        run.Batches++;
        BatchCommitted?.Invoke();
    }

    private async Task<ImportProgress> StartAsync(Guid accountId, bool continues, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var previous = await session.LoadAsync<ImportProgress>(accountId, cancellationToken) ?? ImportProgress.None(accountId);
        var progress = continues && previous.Running
            ? previous
            : previous with { Running = true, Done = 0, Total = 0, StartedAt = time.GetUtcNow(), Problem = null };
        session.Store(progress);
        await session.SaveChangesAsync(cancellationToken);
        return progress;
    }

    private async Task FinishAsync(ImportRun run, string? problem, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var ids = new[] { run.Account.Id.ToString() };
        var imported = await session.Query<Letter>()
            .Where(l => !l.Deleted && Marten.Linq.MatchesSql.MatchesSqlExtensions.MatchesSql(l, "jsonb_exists_any(d.data -> 'AccountIds', ?)", new object[] { ids }))
            .CountAsync(cancellationToken);
        var more = run.More && problem is null;
        session.Store(run.Progress with
        {
            Running = more,
            Total = Math.Max(run.Progress.Total, run.Progress.Done),
            FinishedAt = more ? run.Progress.FinishedAt : time.GetUtcNow(),
            Problem = problem,
            Imported = imported,
        });
        await session.SaveChangesAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<QuarantinedMessage>> DueAsync(IQuerySession session, Guid accountId, string folder, uint uidValidity, CancellationToken cancellationToken) =>
        (await session.Query<QuarantinedMessage>()
            .Where(q => q.LetterId == null && q.Place.AccountId == accountId && q.Place.Folder == folder && q.Place.UidValidity == uidValidity)
            .ToListAsync(cancellationToken))
        .Where(q => q.Due)
        .ToArray();

    /// <summary>The UIDs of the folder already imported (or, for POP3, passed over as older than the first day).</summary>
    private static async Task<HashSet<string>> KnownAsync(
        IQuerySession session, Guid accountId, string folder, uint uidValidity, IReadOnlyList<string> uids, CancellationToken cancellationToken,
        bool includingPassedOver = false)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await ImportedMail.DataSourceOf(session).OpenConnectionAsync(cancellationToken);
        foreach (var chunk in uids.Chunk(10_000))
        {
            await using var command = new NpgsqlCommand(
                $"select uid from {Configuration.PlaceTable} where account_id = $1 and folder = $2 and uid_validity = $3 and uid = any($4)"
                + (includingPassedOver ? "" : " and letter_id is not null"), connection)
            {
                Parameters = { new() { Value = accountId }, new() { Value = folder }, new() { Value = (long)uidValidity }, new() { Value = chunk } },
            };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                known.Add(reader.GetString(0));
            }
        }

        return known;
    }

    private async Task ForgetPassedOverAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        await using var connection = await ImportedMail.DataSourceOf(query).OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"delete from {Configuration.PlaceTable} where account_id = $1 and letter_id is null", connection)
        {
            Parameters = { new() { Value = accountId } },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether mail from <paramref name="since"/> on is already covered by a run that imported from <paramref name="covered"/> on (null: all).</summary>
    private static bool Covers(DateOnly? covered, DateOnly? since) => covered is null || (since is { } s && s >= covered);

    private static bool Earlier(DateOnly? wanted, DateOnly? covered) => !Covers(covered, wanted);

    /// <summary>A POP3 message's arrival, as its header says: the newest Received, or else its Date.</summary>
    private static bool ArrivedBefore(MimeKit.HeaderList headers, DateOnly since)
    {
        var received = headers.Where(h => h.Id == MimeKit.HeaderId.Received).Select(h => h.Value).FirstOrDefault();
        var stamp = received is not null && received.LastIndexOf(';') is var semi and >= 0 ? received[(semi + 1)..] : headers[MimeKit.HeaderId.Date];
        return MimeKit.Utils.DateUtils.TryParse(stamp ?? "", out var date) && DateOnly.FromDateTime(date.UtcDateTime) < since;
    }

    /// <summary>One run's account, who asked, its deadline, what it did, and its progress as last committed.</summary>
    private sealed class ImportRun(Account account, Guid by, DateTimeOffset deadline, ImportProgress progress)
    {
        public Account Account => account;

        public Guid By => by;

        public DateTimeOffset Deadline => deadline;

        public ImportProgress Progress { get; set; } = progress;

        /// <summary>What a continued run had done before this one.</summary>
        public int Base { get; } = progress.Done;

        public int Total { get; set; }

        public int Fetched { get; set; }

        public int Imported { get; set; }

        public int FoundAgain { get; set; }

        public int Quarantined { get; set; }

        public int SkippedFolders { get; set; }

        public bool More { get; set; }

        /// <summary>
        /// Past the deadline, once at least one batch was handed to be committed (a commit begun goes on to its end):
        /// every run moves the import on.
        /// </summary>
        public bool OutOfTime(TimeProvider time) => Handed > 0 && time.GetUtcNow() > deadline;

        /// <summary>Batches committed.</summary>
        public int Batches { get; set; }

        /// <summary>Batches handed to be committed.</summary>
        public int Handed { get; set; }

        public string? Problem { get; set; }
    }
}

/// <summary>
/// The batches of a run committing, in order, at most <paramref name="depth"/> at once: each commit is handed the one
/// before it to wait for, and a new one starts only once the oldest has ended.
/// </summary>
internal sealed class CommitQueue(int depth)
{
    private readonly Queue<Task> _running = new();

    private Task _last = Task.CompletedTask;

    /// <summary>Starts the commit once there is room, unless the run was stopped meanwhile: a stopped run begins no commit.</summary>
    public async Task StartAsync(Func<Task, Task> commit, CancellationToken cancellationToken)
    {
        while (_running.Count >= depth)
        {
            await _running.Dequeue();
        }

        cancellationToken.ThrowIfCancellationRequested();

        _last = commit(_last);
        _running.Enqueue(_last);
    }

    /// <summary>Waits for every commit begun; the first failure is thrown once all have ended.</summary>
    public async Task DrainAsync()
    {
        var all = _running.ToArray();
        _running.Clear();
        await Task.WhenAll(all).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        foreach (var commit in all)
        {
            await commit;
        }
    }

    /// <summary>Waits for every commit begun to end, however it ends (the run is failing already).</summary>
    public async Task DrainQuietlyAsync()
    {
        while (_running.TryDequeue(out var commit))
        {
            await commit.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }
}
