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
    /// Many folders, of one account or several: each target's folders found, every folder searched (in parallel, each
    /// within the time limit) for its newest <c>page × pageSize</c>, merged newest first by arrival, and the page's rows
    /// fetched from the folders they are in.
    /// </summary>
    public async Task<LiveResults> SearchAsync(
        IQuerySession session, IReadOnlyList<LiveTarget> targets, MailCriteria criteria, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        pageSize = Math.Max(1, pageSize);
        page = Math.Max(1, page);
        using var all = new SemaphoreSlim(Math.Max(1, options.SearchParallelFolders));
        var problems = new List<FolderProblem>();

        // The folders of each target: one LIST an account.
        var folderLists = await Task.WhenAll(targets.Select(async target =>
        {
            if (target.Folder is { } only && !target.Subfolders)
            {
                return (target, Folders: (IReadOnlyList<string>)[only]);
            }

            var listed = await WithinLimitAsync(target.Account, target.Folder ?? "", Password(session, target.Account),
                (mailbox, token) => mailbox.SearchFoldersAsync(target.Folder, target.Folder is null ? target.Visible ?? [] : [], token), cancellationToken);
            if (listed.Problem is { } problem)
            {
                lock (problems)
                {
                    problems.Add(problem);
                }
            }

            return (target, Folders: listed.Value ?? []);
        }));

        var perAccount = targets.Select(t => t.Account.Id).Distinct().ToDictionary(id => id, _ => new SemaphoreSlim(2));
        try
        {
            async Task<T?> Limited<T>(Account account, Func<Task<T?>> work)
            {
                await all.WaitAsync(cancellationToken);
                try
                {
                    await perAccount[account.Id].WaitAsync(cancellationToken);
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

            var searched = await Task.WhenAll(folderLists.SelectMany(l => l.Folders.Select(f => (l.target.Account, Folder: f))).Select(async item =>
            {
                var outcome = await Limited(item.Account, async () => await WithinLimitAsync(item.Account, item.Folder, Password(session, item.Account),
                    (mailbox, token) => mailbox.SearchAsync(item.Folder, criteria, page * pageSize, true, token), cancellationToken));
                return (item.Account, item.Folder, Outcome: outcome!);
            }));

            foreach (var (_, _, outcome) in searched)
            {
                if (outcome.Problem is { } problem)
                {
                    problems.Add(problem);
                }
            }

            var answered = searched.Where(s => s.Outcome.Value is not null).ToList();
            var total = answered.Sum(s => s.Outcome.Value!.Total);
            var pageCount = Math.Max(1, (total + pageSize - 1) / pageSize);
            var shown = Math.Min(page, pageCount);
            var merged = answered
                .SelectMany(s => s.Outcome.Value!.Newest.Select(hit => (s.Account, s.Folder, hit, s.Outcome.Value.UidValidity)))
                .OrderByDescending(x => x.hit.Arrived)
                .Skip((shown - 1) * pageSize)
                .Take(pageSize)
                .ToList();

            // The page's rows, from each folder that has some on it.
            var rows = await Task.WhenAll(merged.GroupBy(x => (x.Account, x.Folder)).Select(async group =>
            {
                var ids = group.Select(x => x.hit.Id).ToList();
                var outcome = await Limited(group.Key.Account, async () => await WithinLimitAsync(group.Key.Account, group.Key.Folder,
                    Password(session, group.Key.Account), (mailbox, token) => mailbox.SearchRowsAsync(group.Key.Folder, ids, token), cancellationToken));
                return (group.Key, Outcome: outcome!);
            }));
            var byKey = new Dictionary<(Guid, string, string), MessageRow>();
            foreach (var (key, outcome) in rows)
            {
                if (outcome.Problem is { } problem)
                {
                    problems.Add(problem);
                }

                foreach (var row in outcome.Value ?? [])
                {
                    byKey[(key.Account.Id, key.Folder, row.Id)] = row;
                }
            }

            LiveRow[] page1 =
            [
                .. merged.Where(x => byKey.ContainsKey((x.Account.Id, x.Folder, x.hit.Id)))
                    .Select(x => new LiveRow(x.Account.Id, x.Account.Title, x.Folder, byKey[(x.Account.Id, x.Folder, x.hit.Id)], x.UidValidity)),
            ];
            return new LiveResults(page1, total, shown, pageCount, searched.Length, problems);
        }
        finally
        {
            foreach (var gate in perAccount.Values)
            {
                gate.Dispose();
            }
        }
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
