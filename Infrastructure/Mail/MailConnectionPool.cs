using MailKit;
using MailKit.Net.Imap;
using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// Everything that decides what a connection is: the account, its incoming settings (server, port, security, login and
/// the reference of its password, which a new password replaces) and the certificates it trusts. Any change makes
/// another key, so a connection signed in with old settings is never lent for new ones.
/// </summary>
/// <param name="Credential">For an account that signs in with a token, a fingerprint of the token the connection signed in
/// with: once the token is renewed (before it expires) connections signed in with the old one are never lent again, as
/// a provider drops them when it expires.</param>
public sealed record MailConnectionKey(Guid AccountId, IncomingSettings Incoming, string TrustedCertificates, string Credential = "")
{
    public static MailConnectionKey For(Account account, IncomingSettings incoming) => new(
        account.Id,
        incoming,
        string.Join('\n', account.TrustedCertificates
            .Select(c => c.Host.ToLowerInvariant() + " " + c.Fingerprint.ToUpperInvariant())
            .Order(StringComparer.Ordinal)));
}

/// <summary>
/// Signed-in IMAP connections that one request leaves for the next request of the same account, so that a page does
/// not pay for connecting, TLS and signing in every time. A connection is lent to one request at a time (a MailKit
/// client runs one command at a time), only while it looks open (<see cref="MailConnector.LooksOpen"/>: a server that
/// hung up is noticed without a round trip), and is closed once it has been idle for
/// <see cref="MailOptions.IdleConnectionSeconds"/>, when the work on it failed, or when the host stops.
/// Not NOOP: Dovecot answers it with a full resynchronisation, which after new mail in a maildir of 100,000 messages
/// reads the whole folder (a quarter of a second here), where the page's own commands need only the index.
/// POP3 connections are never kept: a POP3 session sees the mailbox as it was when it signed in.
/// </summary>
public sealed class MailConnectionPool : IAsyncDisposable
{
    /// <summary>Two: a message opened while the list still loads. More would only hold the server's connection slots.</summary>
    private const int IdlePerKey = 2;

    private readonly Dictionary<MailConnectionKey, List<Idle>> _idle = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ITimer? _sweeper;
    private readonly List<Task> _closing = [];
    private bool _disposed;

    public MailConnectionPool(MailOptions options)
    {
        IdleLifetime = TimeSpan.FromSeconds(Math.Max(0, options.IdleConnectionSeconds));
        if (Keeps)
        {
            // A connection lives at most a quarter of its lifetime (and never more than 15 s) beyond it.
            var period = TimeSpan.FromSeconds(Math.Clamp(IdleLifetime.TotalSeconds / 4, 0.25, 15));
            _sweeper = _time.CreateTimer(_ => Sweep(), null, period, period);
        }
    }

    /// <summary>How long a connection may wait unused; zero keeps none.</summary>
    public TimeSpan IdleLifetime { get; }

    public bool Keeps => IdleLifetime > TimeSpan.Zero;

    /// <summary>Connections waiting to be lent, over all accounts.</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Values.Sum(l => l.Count);
            }
        }
    }

    /// <summary>
    /// A connection for the key that still looks open, now the caller's alone; null when there is none. The caller
    /// gives it back with <see cref="Return"/> or disposes it.
    /// </summary>
    public ImapClient? Take(MailConnectionKey key)
    {
        while (TakeIdle(key) is { } client)
        {
            if (MailConnector.LooksOpen(client))
            {
                return client;
            }

            client.Dispose();
        }

        return null;
    }

    /// <summary>
    /// Keeps a connection whose work succeeded for the next request; false when it is not kept (the pool is off or
    /// stopped, the client is no longer signed in, or enough wait already), and then the caller closes it.
    /// </summary>
    public bool Return(MailConnectionKey key, ImapClient client)
    {
        if (!Keeps || !client.IsConnected || !client.IsAuthenticated)
        {
            return false;
        }

        lock (_lock)
        {
            if (_disposed)
            {
                return false;
            }

            if (!_idle.TryGetValue(key, out var idle))
            {
                _idle[key] = idle = [];
            }

            if (idle.Count >= IdlePerKey)
            {
                return false;
            }

            idle.Add(new Idle(client, _time.GetTimestamp()));
            return true;
        }
    }

    /// <summary>Logs out of every idle connection. Connections lent out are closed by their requests, which find the pool stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        List<ImapClient> all;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            all = _idle.Values.SelectMany(l => l.Select(i => i.Client)).ToList();
            _idle.Clear();
        }

        if (_sweeper is not null)
        {
            await _sweeper.DisposeAsync();
        }

        Task[] closing;
        lock (_closing)
        {
            closing = [.. _closing];
        }

        await Task.WhenAll(all.Select(CloseAsync).Concat(closing));
    }

    /// <summary>The most recently used first: the likeliest to be alive. Those idle too long are closed on the way.</summary>
    private ImapClient? TakeIdle(MailConnectionKey key)
    {
        var expired = new List<ImapClient>();
        ImapClient? taken = null;
        lock (_lock)
        {
            if (_idle.TryGetValue(key, out var idle))
            {
                while (taken is null && idle.Count > 0)
                {
                    var last = idle[^1];
                    idle.RemoveAt(idle.Count - 1);
                    if (Expired(last))
                    {
                        expired.Add(last.Client);
                    }
                    else
                    {
                        taken = last.Client;
                    }
                }

                RemoveIfEmpty(key, idle);
            }
        }

        expired.ForEach(CloseInBackground);
        return taken;
    }

    private void Sweep()
    {
        var expired = new List<ImapClient>();
        lock (_lock)
        {
            foreach (var (key, idle) in _idle.ToArray())
            {
                expired.AddRange(idle.Where(Expired).Select(i => i.Client));
                idle.RemoveAll(Expired);
                RemoveIfEmpty(key, idle);
            }
        }

        expired.ForEach(CloseInBackground);
    }

    private bool Expired(Idle idle) => _time.GetElapsedTime(idle.Since) >= IdleLifetime;

    private void RemoveIfEmpty(MailConnectionKey key, List<Idle> idle)
    {
        if (idle.Count == 0)
        {
            _idle.Remove(key);
        }
    }

    private void CloseInBackground(ImapClient client)
    {
        var closing = CloseAsync(client);
        lock (_closing)
        {
            _closing.RemoveAll(t => t.IsCompleted);
            _closing.Add(closing);
        }
    }

    private static async Task CloseAsync(ImapClient client)
    {
        await MailSignIn.DisconnectQuietlyAsync(client);
        client.Dispose();
    }

    private sealed record Idle(ImapClient Client, long Since);
}
