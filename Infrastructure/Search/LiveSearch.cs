using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;

namespace MailAccounts.Infrastructure.Search;

/// <summary>A row of live results: the message and where it is (a scope of several folders or accounts shows both).</summary>
public sealed record LiveRow(Guid AccountId, string Account, string Folder, MessageRow Row, uint UidValidity);

/// <summary>
/// A folder the search could not ask, and why: <paramref name="Code"/> is a <c>Search.*</c> code for the page to say in
/// the reader's language (<see cref="LiveSearch.TimedOut"/>, <see cref="LiveSearch.Failed"/>, or a
/// <see cref="SearchRefusedException"/> code), <paramref name="Detail"/> the server's words or the part refused.
/// </summary>
public sealed record FolderProblem(Guid AccountId, string Account, string Folder, string Code, string Detail);

/// <summary>One page of live results, newest first over every folder searched, and the folders that gave none.</summary>
public sealed record LiveResults(IReadOnlyList<LiveRow> Rows, int Total, int Page, int PageCount, int Folders, IReadOnlyList<FolderProblem> Problems);

/// <summary>
/// Where a search over many folders stands: <paramref name="Answered"/> of <paramref name="Folders"/> folders answered
/// (an account whose folders are not listed yet counts as one), <paramref name="Total"/> found so far, on page 1 the
/// newest <paramref name="Rows"/> so far, the <paramref name="Problems"/> known since the last progress, and on the last
/// one the <paramref name="Results"/>.
/// </summary>
public sealed record LiveProgress(int Folders, int Answered, int Total, IReadOnlyList<LiveRow> Rows, IReadOnlyList<FolderProblem> Problems, LiveResults? Results);

/// <summary>
/// What to search: an account and its folders (one, one with its subfolders, or all of it when <paramref name="Folder"/>
/// is null: the folders the user chose to see, <paramref name="Visible"/>, all when none).
/// </summary>
public sealed record LiveTarget(Account Account, string? Folder, bool Subfolders = false, IReadOnlyCollection<string>? Visible = null);

/// <summary>
/// Live search on the mail servers: per folder one UID SEARCH of the criteria (<see cref="ImapCriteria"/>; POP3 reads
/// headers with TOP), the folders asked in parallel within the pool's limits (at most two connections an account, so
/// many at once over all), each within <see cref="MailOptions.SearchFolderSeconds"/>; merged newest first by arrival
/// date; then only the page's messages fetched, as the folder list fetches them. A folder that fails or times out is
/// named, the others still shown.
/// </summary>
public sealed class LiveSearch(MailSessions sessions, MailOptions options)
{
    public const string TimedOut = "Search.FolderTimedOut";
    public const string Failed = "Search.FolderFailed";

    public TimeSpan FolderTimeLimit { get; init; } = TimeSpan.FromSeconds(Math.Max(1, options.SearchFolderSeconds));

    /// <summary>One folder's page of results, newest first; the total over the folder.</summary>
    public Task<LiveResults> SearchFolderAsync(
        IQuerySession session, Account account, string folder, MailCriteria criteria, int page, int pageSize, CancellationToken cancellationToken) =>
        SearchFolderAsync(account, Password(session, account), folder, criteria, page, pageSize, cancellationToken);

    /// <summary>The same, with the password from elsewhere than the vault (the benchmark runs without a database).</summary>
    public async Task<LiveResults> SearchFolderAsync(
        Account account, Func<CancellationToken, Task<string?>> password, string folder, MailCriteria criteria, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        pageSize = Math.Max(1, pageSize);
        page = Math.Max(1, page);
        var outcome = await WithinLimitAsync(account, folder, password, async (mailbox, token) =>
        {
            var hits = await mailbox.SearchAsync(folder, criteria, page * pageSize, false, token);
            var pageCount = Math.Max(1, (hits.Total + pageSize - 1) / pageSize);
            var shown = Math.Min(page, pageCount);
            var slice = hits.Newest.Skip((shown - 1) * pageSize).Take(pageSize).Select(h => h.Id).ToList();
            if (shown != page)
            {
                // Past the last page: the last page, as the folder list answers.
                slice = [.. (await mailbox.SearchAsync(folder, criteria, shown * pageSize, false, token)).Newest.Skip((shown - 1) * pageSize).Select(h => h.Id)];
            }

            var rows = await mailbox.SearchRowsAsync(folder, slice, token);
            return new LiveResults([.. rows.Select(r => new LiveRow(account.Id, account.Title, folder, r, hits.UidValidity))], hits.Total, shown, pageCount, 1, []);
        }, cancellationToken);
        return outcome.Value ?? new LiveResults([], 0, 1, 1, 1, [outcome.Problem!]);
    }

    /// <summary>
    /// Many folders, of one account or several: every folder searched (in parallel, each within the time limit) for
    /// its newest <c>page × pageSize</c>, merged newest first by arrival, and the page's rows fetched from the folders
    /// they are in. The last of <see cref="SearchAsTheyAnswerAsync"/>, so that the page rendered at once and the page
    /// that shows results as they come cannot differ.
    /// </summary>
    public async Task<LiveResults> SearchAsync(
        IQuerySession session, IReadOnlyList<LiveTarget> targets, MailCriteria criteria, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        LiveResults? results = null;
        await foreach (var progress in SearchAsTheyAnswerAsync(session, targets, criteria, page, pageSize, cancellationToken))
        {
            results = progress.Results ?? results;
        }

        return results!;
    }

    /// <summary>
    /// The same search, told folder by folder: one <see cref="LiveProgress"/> each time a folder answers (or fails, or
    /// its time runs out, or an account's folders are listed), and a last one with the <see cref="LiveResults"/>. Each
    /// target lists its folders and searches them on its own, so a silent server holds back only its own folders. On
    /// page 1 the rows of the newest <paramref name="pageSize"/> so far come with each progress: a folder's rows are
    /// fetched when it answers and only those that make the first page then (a later folder can push a row off the
    /// page, never bring an earlier folder's row onto it), so the page's fetches stay what the one-time render does.
    /// Leaving the enumeration early (the browser went away) cancels the work still running.
    /// </summary>
    public async IAsyncEnumerable<LiveProgress> SearchAsTheyAnswerAsync(
        IQuerySession session, IReadOnlyList<LiveTarget> targets, MailCriteria criteria, int page, int pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        pageSize = Math.Max(1, pageSize);
        page = Math.Max(1, page);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var all = new SemaphoreSlim(Math.Max(1, options.SearchParallelFolders));
        var perAccount = targets.Select(t => t.Account.Id).Distinct().ToDictionary(id => id, _ => new SemaphoreSlim(2));
        var answers = Channel.CreateUnbounded<Answer>(new UnboundedChannelOptions { SingleReader = true });

        async Task<T?> Limited<T>(Account account, Func<Task<T?>> work)
        {
            await all.WaitAsync(stop.Token);
            try
            {
                await perAccount[account.Id].WaitAsync(stop.Token);
                try
                {
                    return await work();
                }
                finally
                {
                    perAccount[account.Id].Release();
                }
            }
            finally
            {
                all.Release();
            }
        }

        async Task TargetAsync(LiveTarget target)
        {
            IReadOnlyList<string> folders;
            if (target.Folder is { } only && !target.Subfolders)
            {
                folders = [only];
            }
            else
            {
                // The folders of the target: one LIST an account.
                var listed = await WithinLimitAsync(target.Account, target.Folder ?? "", Password(session, target.Account),
                    (mailbox, token) => mailbox.SearchFoldersAsync(target.Folder, target.Folder is null ? target.Visible ?? [] : [], token), stop.Token);
                if (listed.Problem is { } problem)
                {
                    await answers.Writer.WriteAsync(new Answer(target.Account, problem.Folder, 0, null, problem), stop.Token);
                    return;
                }

                folders = listed.Value ?? [];
                await answers.Writer.WriteAsync(new Answer(target.Account, null, folders.Count, null, null), stop.Token);
            }

            await Task.WhenAll(folders.Select(async folder =>
            {
                var outcome = await Limited(target.Account, async () => await WithinLimitAsync(target.Account, folder, Password(session, target.Account),
                    (mailbox, token) => mailbox.SearchAsync(folder, criteria, page * pageSize, true, token), stop.Token));
                await answers.Writer.WriteAsync(new Answer(target.Account, folder, 1, outcome!.Value, outcome.Problem), stop.Token);
            }));
        }

        // The page's rows of some hits of one folder, kept by key; a message gone since the search has none.
        var fetched = new Dictionary<(Guid, string, string), MessageRow?>();
        var problems = new List<FolderProblem>();
        async Task FetchAsync(IEnumerable<Hit> wanted)
        {
            var missing = wanted.Where(x => !fetched.ContainsKey(x.Key)).ToList();
            var rows = await Task.WhenAll(missing.GroupBy(x => (x.Account, x.Folder)).Select(async group =>
            {
                var ids = group.Select(x => x.Found.Id).ToList();
                var outcome = await Limited(group.Key.Account, async () => await WithinLimitAsync(group.Key.Account, group.Key.Folder,
                    Password(session, group.Key.Account), (mailbox, token) => mailbox.SearchRowsAsync(group.Key.Folder, ids, token), stop.Token));
                return (Hits: group.ToList(), Outcome: outcome!);
            }));
            foreach (var (hits, outcome) in rows)
            {
                if (outcome.Problem is { } problem)
                {
                    problems.Add(problem);
                }

                var byId = (outcome.Value ?? []).ToDictionary(r => r.Id, StringComparer.Ordinal);
                foreach (var hit in hits)
                {
                    fetched[hit.Key] = byId.GetValueOrDefault(hit.Found.Id);
                }
            }
        }

        var work = Task.WhenAll(targets.Select(TargetAsync));
        _ = work.ContinueWith(done => answers.Writer.TryComplete(done.Exception?.InnerException), TaskScheduler.Default);
        try
        {
            // Until its folders are listed, a target counts as one folder.
            var folderCount = targets.Count;
            var answered = 0;
            var searched = 0;
            var total = 0;
            var merged = new List<Hit>();
            IReadOnlyList<LiveRow> Shown(IEnumerable<Hit> hits) =>
                [.. hits.Where(x => fetched.GetValueOrDefault(x.Key) is not null).Select(x => new LiveRow(x.Account.Id, x.Account.Title, x.Folder, fetched[x.Key]!, x.UidValidity))];
            IReadOnlyList<LiveRow> first = [];

            await foreach (var answer in answers.Reader.ReadAllAsync(stop.Token))
            {
                var known = problems.Count;
                if (answer.Folder is null)
                {
                    folderCount += answer.Folders - 1;
                }
                else if (answer.Problem is { } problem)
                {
                    problems.Add(problem);
                    answered++;
                    searched += answer.Folders;
                }
                else
                {
                    answered++;
                    searched++;
                    total += answer.Hits!.Total;
                    merged.AddRange(answer.Hits.Newest.Select(hit => new Hit(answer.Account, answer.Folder, hit, answer.Hits.UidValidity)));
                    merged.Sort((a, b) => b.Found.Arrived.CompareTo(a.Found.Arrived));
                    if (page == 1)
                    {
                        var top = merged.Take(pageSize).ToList();
                        await FetchAsync(top);
                        first = Shown(top);
                    }
                }

                yield return new LiveProgress(folderCount, answered, total, first, [.. problems.Skip(known)], null);
            }

            await work;
            var pageCount = Math.Max(1, (total + pageSize - 1) / pageSize);
            var shown = Math.Min(page, pageCount);
            var window = merged.Skip((shown - 1) * pageSize).Take(pageSize).ToList();
            var before = problems.Count;
            await FetchAsync(window);
            yield return new LiveProgress(folderCount, answered, total, Shown(window), [.. problems.Skip(before)],
                new LiveResults(Shown(window), total, shown, pageCount, searched, [.. problems]));
        }
        finally
        {
            // Whatever is still running (the reader left early) stops; the gates go once it has.
            await stop.CancelAsync();
            try
            {
                await work;
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Cancelled work: its answers were not wanted.
            }

            foreach (var gate in perAccount.Values)
            {
                gate.Dispose();
            }
        }
    }

    /// <summary>A target's folders listed (<see cref="Folder"/> null, their count), or one folder's search, or a problem.</summary>
    private sealed record Answer(Account Account, string? Folder, int Folders, SearchHits? Hits, FolderProblem? Problem);

    private sealed record Hit(Account Account, string Folder, SearchHit Found, uint UidValidity)
    {
        public (Guid, string, string) Key => (Account.Id, Folder, Found.Id);
    }

    private sealed record Outcome<T>(T? Value, FolderProblem? Problem);

    /// <summary>
    /// The work on a session of the account, within the folder time limit: a refusal, a failure or the time running out
    /// become the folder's problem (the connection is dropped then: a cancelled MailKit command leaves it unusable).
    /// </summary>
    private async Task<Outcome<T>> WithinLimitAsync<T>(
        Account account, string folder, Func<CancellationToken, Task<string?>> password, Func<IMailbox, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(FolderTimeLimit);
        FolderProblem Problem(string code, string detail) => new(account.Id, account.Title, folder, code, detail);
        try
        {
            SearchRefusedException? refused = null;
            var done = await sessions.ReadAsync(account, password, async mailbox =>
            {
                try
                {
                    return await work(mailbox, limit.Token);
                }
                catch (SearchRefusedException e)
                {
                    // Nothing went wrong on the connection: it may serve the next folder.
                    refused = e;
                    return default;
                }
            }, limit.Token);
            return refused is not null ? new Outcome<T>(default, Problem(refused.Code, refused.Part))
                : done.Succeeded ? new Outcome<T>(done.Value, null)
                : new Outcome<T>(default, Problem(Failed, done.Problem ?? ""));
        }
        catch (Exception) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Whatever the cancelled command threw (MailKit wraps a cancelled TLS handshake in SslHandshakeException).
            return new Outcome<T>(default, Problem(TimedOut, ((int)FolderTimeLimit.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>The password from the vault, one reveal at a time: a Marten session serves one query at a time.</summary>
    private Func<CancellationToken, Task<string?>> Password(IQuerySession session, Account account) => async token =>
    {
        var gate = Reveals.GetValue(session, _ => new SemaphoreSlim(1));
        await gate.WaitAsync(token);
        try
        {
            return await sessions.RevealAsync(session, account, token);
        }
        finally
        {
            gate.Release();
        }
    };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IQuerySession, SemaphoreSlim> Reveals = new();
}
