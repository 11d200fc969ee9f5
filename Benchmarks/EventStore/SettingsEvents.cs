using System.Globalization;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Users;

namespace MailAccounts.Benchmarks.EventStore;

/// <summary>One account's stream as the benchmark writes it.</summary>
public sealed record AccountStream(Guid Id, IReadOnlyList<object> Events);

/// <summary>
/// Settings events as people make them: an account is created, then its server, login, folders and outgoing mail are
/// changed now and then, and it is tested far more often than it is changed. Everything comes from one seed, so a run
/// writes the same events as the last one with that seed.
/// </summary>
public sealed class SettingsEvents
{
    /// <summary>The account whose history page is measured: it has exactly this many events (when the run has as many).</summary>
    public const int HistoryEvents = 1_000;

    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] Providers = ["example.test", "mail.example.test", "corp.example.test", "post.example.test", "mx.example.test"];

    private static readonly string[] FolderNames = ["INBOX", "Archive", "Work", "Lists", "Receipts", "Travel", "Family", "Projects/2024", "Projects/2025", "Newsletters"];

    private static readonly string[] Failures =
    [
        "Connect:Connection refused (127.0.0.1:993)",
        "Authenticate:AUTHENTICATE failed: Invalid credentials",
        "Tls:The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot",
        "Connect:The operation has timed out after 15 seconds",
    ];

    private readonly Random _random;

    public SettingsEvents(int seed, int accounts, int events, int users = 100, int outgoingServers = 20)
    {
        if (accounts < 1 || events < accounts)
        {
            throw new ArgumentException("Every account needs at least its AccountCreated event.");
        }

        _random = new Random(seed);
        Users = Enumerable.Range(0, users)
            .Select(i => new UserRegistered(NewGuid(), $"user{i:D3}", $"User {i:D3}", i == 0 ? UserRole.Administrator : UserRole.User, Actors.System, Epoch))
            .ToArray();
        Servers = Enumerable.Range(0, outgoingServers)
            .Select(i => new OutgoingServerConfigured(
                NewGuid(), Users[i % users].UserId, OutgoingServerKind.Other, $"smtp{i}.{Providers[i % Providers.Length]}", 587, TransportSecurity.StartTls,
                true, $"user{i % users:D3}", NewGuid(), Users[i % users].UserId, Epoch))
            .ToArray();

        var counts = Counts(accounts, events);
        var streams = new AccountStream[accounts];
        for (var i = 0; i < accounts; i++)
        {
            streams[i] = Stream(i, counts[i]);
        }

        Accounts = streams;
    }

    public IReadOnlyList<UserRegistered> Users { get; }

    public IReadOnlyList<OutgoingServerConfigured> Servers { get; }

    /// <summary>The first is the history account, with <see cref="HistoryEvents"/> events.</summary>
    public IReadOnlyList<AccountStream> Accounts { get; }

    public int EventCount => Accounts.Sum(a => a.Events.Count);

    /// <summary>More events of an account after the ones it has: what the command-sized writes append.</summary>
    public IEnumerable<object> Later(Guid accountId, int count)
    {
        var owner = Users[0].UserId;
        var at = Epoch.AddYears(2);
        for (var i = 0; i < count; i++)
        {
            at = at.AddMinutes(1 + _random.Next(600));
            yield return Next(accountId, owner, at);
        }
    }

    private int[] Counts(int accounts, int events)
    {
        var counts = new int[accounts];
        if (accounts == 1)
        {
            counts[0] = events;
            return counts;
        }

        counts[0] = Math.Min(HistoryEvents, events - (accounts - 1));
        var rest = events - counts[0];
        var others = accounts - 1;
        var mean = rest / others;
        for (var i = 1; i < accounts; i++)
        {
            counts[i] = mean + (i - 1 < rest % others ? 1 : 0);
        }

        // Some accounts are fiddled with more than others: move up to half the mean between neighbours, keeping the sum.
        for (var i = 1; i + 1 < accounts; i += 2)
        {
            var shift = _random.Next(-(mean / 2), mean / 2 + 1);
            if (counts[i] + shift >= 1 && counts[i + 1] - shift >= 1)
            {
                counts[i] += shift;
                counts[i + 1] -= shift;
            }
        }

        return counts;
    }

    private AccountStream Stream(int index, int count)
    {
        var id = NewGuid();
        var owner = Users[index % Users.Count].UserId;
        var at = Epoch.AddMinutes(_random.Next(60 * 24 * 30));
        var provider = Providers[index % Providers.Length];
        var events = new List<object>(count)
        {
            new AccountCreated(id, owner, AccountKind.Individual, $"Account {index:D5}", $"Person {index:D5}", $"person{index}@{provider}", owner, at),
        };
        while (events.Count < count)
        {
            at = at.AddMinutes(1 + _random.Next(60 * 24));
            events.Add(Next(id, owner, at));
        }

        return new AccountStream(id, events);
    }

    private object Next(Guid id, Guid owner, DateTimeOffset at)
    {
        // An administrator acts now and then, the scheduler tests, the owner does the rest.
        var by = _random.Next(20) switch
        {
            0 => Users[0].UserId,
            1 => Actors.System,
            _ => owner,
        };
        var provider = Providers[_random.Next(Providers.Length)];
        var roll = _random.Next(100);
        return roll switch
        {
            < 30 => _random.Next(5) == 0
                ? Failed(id, Failures[_random.Next(Failures.Length)].Split(':', 2), by, at)
                : new ConnectionTested(id, true, null, "Signed in; INBOX has " + _random.Next(5000).ToString(CultureInfo.InvariantCulture) + " messages", by, at),
            < 50 => _random.Next(2) == 0
                ? new IncomingServerConfigured(id, IncomingProtocol.Imap, "imap." + provider, _random.Next(2) == 0 ? 993 : 143,
                    _random.Next(2) == 0 ? TransportSecurity.SslOnConnect : TransportSecurity.StartTls, by, at)
                : new IncomingServerConfigured(id, IncomingProtocol.Pop3, "pop." + provider, _random.Next(2) == 0 ? 995 : 110,
                    _random.Next(2) == 0 ? TransportSecurity.SslOnConnect : TransportSecurity.StartTls, by, at),
            < 62 => new CredentialsChanged(id, $"login{_random.Next(1000)}@{provider}", NewGuid(), by, at),
            < 74 => new FoldersSelected(id, FolderNames.Where((_, i) => i == 0 || _random.Next(3) == 0).ToArray(), by, at),
            < 82 => new OutgoingConfigured(id, $"Person {_random.Next(10000)}", $"person{_random.Next(10000)}@{provider}",
                _random.Next(4) == 0 ? $"archive@{provider}" : "", _random.Next(3) == 0 ? null : Servers[_random.Next(Servers.Count)].ServerId, by, at),
            < 87 => new TestEmailSent(id, $"someone@{provider}", _random.Next(10) != 0, "250 2.0.0 Ok: queued", by, at),
            < 90 => new TrashFolderSelected(id, _random.Next(2) == 0 ? "Trash" : "Deleted Items", by, at),
            < 93 => new SentFolderSelected(id, _random.Next(2) == 0 ? "Sent" : "Sent Items", by, at),
            < 96 => new AccountDetailsChanged(id, $"Account {id:N}", $"Person {_random.Next(10000)}", $"person{_random.Next(10000)}@{provider}", by, at),
            < 98 => new CertificateTrusted(id, "imap." + provider, Convert.ToHexString(Bytes(32)), by, at),
            _ => new SignatureAttached(id, _random.Next(2) == 0 ? null : NewGuid(), by, at),
        };
    }

    private static ConnectionTested Failed(Guid id, string[] stageAndDetail, Guid by, DateTimeOffset at) =>
        new(id, false, stageAndDetail[0], stageAndDetail[1], by, at);

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    private Guid NewGuid() => new(Bytes(16));
}
