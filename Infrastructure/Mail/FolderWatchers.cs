using System.Threading.Channels;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using Microsoft.Extensions.Logging;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// The folders open in someone's mail client, each watched on the server while at least one tab shows it. The tabs of
/// one user on one account's folder share one watcher; the last tab to leave stops it, which logs out of its
/// connection. A user may have only <see cref="MailOptions.WatchersPerUser"/> watchers at once (each holds a
/// connection to the mail server, and servers limit connections per mailbox).
/// </summary>
/// <remarks>
/// An IMAP watcher holds a connection of its own for as long as it runs, from the one sign-in
/// (<see cref="MailSessions.OpenAsync(IQuerySession, Account, CancellationToken)"/>, which may hand it an idle pooled
/// connection) and never gives it back to the pool: a connection in IDLE cannot serve a page, and the pool's limit of
/// idle connections per account counts only what it keeps. POP3 has no IDLE: its watcher signs in at the user's check
/// interval and compares the count, as a check would.
/// </remarks>
public sealed class FolderWatchers(MailSessions sessions, IDocumentStore store, MailOptions options, ILogger<FolderWatchers> log) : IAsyncDisposable
{
    private readonly Dictionary<WatchKey, Watcher> _watchers = [];
    private readonly Lock _lock = new();
    private readonly List<Task> _stopping = [];
    private bool _disposed;

    /// <summary>Folders watched now, over all users.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>How many tabs listen to the watcher of this user's folder; 0 when it is not watched.</summary>
    public int ListenersOf(Guid userId, Guid accountId, string folder)
    {
        lock (_lock)
        {
            return _watchers.TryGetValue(new WatchKey(userId, accountId, folder), out var watcher) ? watcher.Listeners.Count : 0;
        }
    }

    /// <summary>How many tabs of any user listen to the account's folder; 0 when nobody watches it.</summary>
    public int ListenersOf(Guid accountId, string folder)
    {
        lock (_lock)
        {
            return _watchers.Where(w => w.Key.AccountId == accountId && w.Key.Folder == folder).Sum(w => w.Value.Listeners.Count);
        }
    }

    /// <summary>Whether the account's folder is being watched on the server now (its IDLE has begun), for some user.</summary>
    public bool IsWatching(Guid accountId, string folder)
    {
        lock (_lock)
        {
            return _watchers.Any(w => w.Key.AccountId == accountId && w.Key.Folder == folder && w.Value.Watching);
        }
    }

    /// <summary>
    /// Starts listening to the folder (starting its watcher when no tab of the user watches it yet); null when the user
    /// has as many watchers as allowed. <paramref name="poll"/> is how often a server without IDLE (or POP3) is asked.
    /// Disposing the returned watch stops listening.
    /// </summary>
    public FolderWatch? Watch(Guid userId, Account account, string folder, TimeSpan poll)
    {
        var key = new WatchKey(userId, account.Id, folder);
        var listener = Channel.CreateBounded<FolderChange>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            if (!_watchers.TryGetValue(key, out var watcher))
            {
                if (_watchers.Keys.Count(k => k.UserId == userId) >= Math.Max(1, options.WatchersPerUser))
                {
                    return null;
                }

                _watchers[key] = watcher = new Watcher(new CancellationTokenSource());
                watcher.Run = Task.Run(() => RunAsync(watcher, account, folder, poll));
            }

            watcher.Listeners.Add(listener);
            return new FolderWatch(listener.Reader, () => Leave(key, watcher, listener));
        }
    }

    private void Leave(WatchKey key, Watcher watcher, Channel<FolderChange> listener)
    {
        lock (_lock)
        {
            watcher.Listeners.Remove(listener);
            if (watcher.Listeners.Count > 0 || !_watchers.Remove(key))
            {
                return;
            }

            _stopping.RemoveAll(t => t.IsCompleted);
            _stopping.Add(watcher.Run);
        }

        watcher.Stop.Cancel();
    }

    private void Publish(Watcher watcher, FolderChange change)
    {
        lock (_lock)
        {
            if (change == FolderChange.Watching)
            {
                watcher.Watching = true;
                return;
            }

            foreach (var listener in watcher.Listeners)
            {
                listener.Writer.TryWrite(change);
            }
        }
    }

    private async Task RunAsync(Watcher watcher, Account account, string folder, TimeSpan poll)
    {
        var stop = watcher.Stop.Token;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (account.Incoming?.Protocol == IncomingProtocol.Pop3)
                {
                    await PollPop3Async(watcher, account, poll, stop);
                    return;
                }

                MailSession opened;
                await using (var query = store.QuerySession())
                {
                    opened = await sessions.OpenAsync(query, account, stop);
                }

                // Never Completed(): disposing signs out instead of lending an IDLE connection to the next page.
                await using (opened)
                {
                    if (opened.Mailbox is { } mailbox)
                    {
                        if (failures > 0)
                        {
                            // Mail may have come while the connection was down.
                            Publish(watcher, FolderChange.CountsChanged);
                        }

                        failures = 0;
                        await mailbox.Match(
                            imap => imap.WatchAsync(folder, change => Publish(watcher, change), RenewIdle, poll, stop),
                            _ => Task.CompletedTask);
                        continue;
                    }

                    watcher.Watching = false;
                    log.LogInformation("Watching a folder of account {Account} could not sign in: {Problem}", account.Id, opened.Problem);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (MailFailures.IsExpected(e, stop))
            {
                watcher.Watching = false;
                log.LogInformation("Watching a folder of account {Account} lost its connection: {Problem}", account.Id, e.Message);
            }

            // A server that hangs up or refuses: try again, less and less often, while someone still looks.
            failures++;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(300, 5 * Math.Pow(2, Math.Min(failures - 1, 6)))), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollPop3Async(Watcher watcher, Account account, TimeSpan poll, CancellationToken stop)
    {
        int? last = null;
        while (!stop.IsCancellationRequested)
        {
            await using (var query = store.QuerySession())
            {
                var counted = await sessions.ReadAsync(query, account, mailbox => mailbox.CountAsync(["INBOX"], stop), stop);
                if (counted.Value?.FirstOrDefault()?.Total is { } total)
                {
                    if (last is { } before && total != before)
                    {
                        Publish(watcher, total > before ? FolderChange.NewMessages : FolderChange.CountsChanged);
                    }

                    last = total;
                    Publish(watcher, FolderChange.Watching);
                }
            }

            await Task.Delay(poll, stop);
        }
    }

    /// <summary>IDLE is ended and started again this often: well inside the 29 minutes of RFC 2177, and of NAT timeouts.</summary>
    private TimeSpan RenewIdle => TimeSpan.FromSeconds(Math.Clamp(options.IdleRenewSeconds, 1, 28 * 60));

    public async ValueTask DisposeAsync()
    {
        List<Task> running;
        lock (_lock)
        {
            _disposed = true;
            foreach (var watcher in _watchers.Values)
            {
                watcher.Stop.Cancel();
            }

            running = [.. _watchers.Values.Select(w => w.Run), .. _stopping];
            _watchers.Clear();
        }

        await Task.WhenAll(running.Where(t => t is not null));
    }

    private sealed record WatchKey(Guid UserId, Guid AccountId, string Folder);

    private sealed class Watcher(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;

        public List<Channel<FolderChange>> Listeners { get; } = [];

        public Task Run { get; set; } = Task.CompletedTask;

        /// <summary>The server is watched now; false while signing in or after the connection failed.</summary>
        public bool Watching
        {
            get => Volatile.Read(ref _watching);
            set => Volatile.Write(ref _watching, value);
        }

        private bool _watching;
    }
}

/// <summary>One tab listening to a watched folder: the changes as they come; disposing it stops listening.</summary>
public sealed class FolderWatch(ChannelReader<FolderChange> changes, Action leave) : IDisposable
{
    private int _left;

    public ChannelReader<FolderChange> Changes { get; } = changes;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
        {
            leave();
        }
    }
}
