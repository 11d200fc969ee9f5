using System.Diagnostics;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Secrets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace MailAccounts.Benchmarks;

public enum Temperature
{
    /// <summary>An open, signed-in connection: the bare client's stays open; the product's waits in its pool.</summary>
    Warm,

    /// <summary>Warm, and a new message arrived before every page: the product cannot reuse its sort.</summary>
    NewMail,

    /// <summary>No connection yet: connect, TLS, sign in, then the page.</summary>
    Cold,
}

/// <summary>The times of one page, in milliseconds, and the IMAP commands it took.</summary>
public sealed record Measurement(int Messages, string Page, int PageNumber, Temperature Temperature, double[] Product, double[] Bare, int ProductCommands, int BareCommands)
{
    public double Ratio(double percentile) => Statistics.Percentile(Product, percentile) / Statistics.Percentile(Bare, percentile);
}

public sealed record BenchmarkSettings(int WarmIterations, int ColdIterations, int Seed);

/// <summary>
/// Measures one page of 50 through the product's own listing code (<see cref="MailSessions.UseAsync{T}(Account, Func{CancellationToken, Task{string?}}, Func{IMailbox, Task{T}}, CancellationToken)"/>
/// with <see cref="IMailbox.ListingAsync"/>, which is what the message list page runs) against a bare MailKit client
/// on an open connection doing UID SORT and a FETCH of envelope, flags, size and date for the page's UIDs. The two
/// alternate, so that whatever else the machine does falls on both alike.
/// </summary>
public sealed class ListingBenchmark(
    PrivateMailServer server, MailConnector connector, SecretVault vault, MailOptions options, CertificatePolicy certificates, BenchmarkSettings settings,
    TextWriter log)
{
    public const int PageSize = 50;
    private const int WarmUps = 5;
    private const string Folder = "INBOX";

    public async Task<IReadOnlyList<Measurement>> RunAsync(int messages, CancellationToken cancellationToken)
    {
        var address = $"bench{messages}@{server.Endpoints.Domain}";
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await server.SetMailboxAsync(address, password, cancellationToken);
        var home = server.MailboxFolder(address);

        var setup = Stopwatch.StartNew();
        var wrote = await MaildirGenerator.WriteAsync(Path.Combine(home, "Maildir"), messages, settings.Seed, cancellationToken);
        await server.AdoptAsync(home, cancellationToken);
        log.WriteLine($"{messages:N0} messages: {(wrote ? "generated" : "already there")} in {setup.Elapsed.TotalSeconds:0.0} s ({FolderSize(home) / 1024 / 1024:N0} MB)");

        // Set-up, not measured: Dovecot reads the new files, gives them UIDs, builds its index and sorts once.
        setup.Restart();
        using (var indexing = await SignInBareAsync(address, password, new MailCommandCounter(), cancellationToken))
        {
            indexing.Timeout = (int)TimeSpan.FromMinutes(10).TotalMilliseconds;
            await indexing.Inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            if (indexing.Inbox.Count > messages)
            {
                // The new mail of an earlier run over the same folder (--folder): the generated messages have UIDs 1 to n.
                var added = new UniqueIdRange(new UniqueId((uint)messages + 1), UniqueId.MaxValue);
                await indexing.Inbox.StoreAsync(added, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
                await indexing.Inbox.ExpungeAsync(cancellationToken);
            }

            if (indexing.Inbox.Count != messages)
            {
                throw new InvalidOperationException($"Dovecot sees {indexing.Inbox.Count} messages instead of {messages}.");
            }

            await indexing.Inbox.SortAsync(SearchQuery.All, [OrderBy.ReverseArrival], cancellationToken);
            await indexing.DisconnectAsync(true, cancellationToken);
        }

        log.WriteLine($"{messages:N0} messages: indexed by Dovecot in {setup.Elapsed.TotalSeconds:0.0} s");

        var account = new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Benchmark", "Benchmark", address,
            new IncomingSettings(IncomingProtocol.Imap, server.Endpoints.Host, server.Endpoints.Imaps, TransportSecurity.SslOnConnect, address, Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
        Task<string?> Password(CancellationToken _) => Task.FromResult<string?>(password);

        var pageCount = (messages + PageSize - 1) / PageSize;
        var pages = new[] { ("first", 1), ("middle", (pageCount + 1) / 2), ("last", pageCount) };
        var results = new List<Measurement>();
        foreach (var (name, number) in pages)
        {
            await CheckSamePageAsync(account, Password, address, password, number, cancellationToken);
            results.Add(await WarmAsync(messages, name, number, account, Password, address, password, newMail: false, cancellationToken));
            results.Add(await WarmAsync(messages, name, number, account, Password, address, password, newMail: true, cancellationToken));
            results.Add(await ColdAsync(messages, name, number, account, Password, address, password, cancellationToken));
        }

        return results;
    }

    private async Task<Measurement> WarmAsync(
        int messages, string name, int page, Account account, Func<CancellationToken, Task<string?>> secret, string address, string password,
        bool newMail, CancellationToken cancellationToken)
    {
        // One pool for the whole series, as in the running product: the first request signs in, the rest reuse.
        var productCounter = new MailCommandCounter();
        await using var pool = new MailConnectionPool(options);
        var reader = Reader(productCounter, pool);
        var bareCounter = new MailCommandCounter();
        using var bare = await SignInBareAsync(address, password, bareCounter, cancellationToken);
        await bare.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        using var sender = newMail ? await SignInBareAsync(address, password, new MailCommandCounter(), cancellationToken) : null;

        var product = new List<double>();
        var direct = new List<double>();
        int productCommands = 0, bareCommands = 0;
        for (var iteration = 0; iteration < WarmUps + settings.WarmIterations; iteration++)
        {
            // Alternating who goes first keeps either from always meeting the other's leftovers (caches, GC).
            foreach (var productFirst in iteration % 2 == 0 ? new[] { true, false } : [false, true])
            {
                if (sender is not null)
                {
                    await sender.Inbox.AppendAsync(new AppendRequest(NewMessage(iteration), MessageFlags.None, DateTimeOffset.UtcNow), cancellationToken);
                }

                if (productFirst)
                {
                    var before = productCounter.Commands;
                    var time = await TimeAsync(() => ProductPageAsync(reader, account, secret, page, cancellationToken));
                    productCommands = productCounter.Commands - before;
                    if (iteration >= WarmUps)
                    {
                        product.Add(time);
                    }
                }
                else
                {
                    var before = bareCounter.Commands;
                    var time = await TimeAsync(() => BarePageAsync(bare.Inbox, page, cancellationToken));
                    bareCommands = bareCounter.Commands - before;
                    if (iteration >= WarmUps)
                    {
                        direct.Add(time);
                    }
                }
            }
        }

        await bare.DisconnectAsync(true, cancellationToken);
        return new Measurement(
            messages, name, page, newMail ? Temperature.NewMail : Temperature.Warm, [.. product], [.. direct], productCommands, bareCommands);
    }

    private static MimeMessage NewMessage(int iteration)
    {
        var message = new MimeMessage { Subject = $"Новое письмо {iteration}", Date = DateTimeOffset.UtcNow };
        message.From.Add(new MailboxAddress("Борис Петров", "b.petrov@partner.example"));
        message.To.Add(new MailboxAddress("Anna Sokolova", "bench@bench.test"));
        message.Body = new TextPart("plain") { Text = "Только что пришло." };
        return message;
    }

    private async Task<Measurement> ColdAsync(
        int messages, string name, int page, Account account, Func<CancellationToken, Task<string?>> secret, string address, string password,
        CancellationToken cancellationToken)
    {
        var product = new List<double>();
        var direct = new List<double>();
        int productCommands = 0, bareCommands = 0;
        for (var iteration = 0; iteration < WarmUps + settings.ColdIterations; iteration++)
        {
            foreach (var productFirst in iteration % 2 == 0 ? new[] { true, false } : [false, true])
            {
                if (productFirst)
                {
                    // A new, empty pool: the request connects, signs in, lists, and leaves its connection in the pool.
                    var counter = new MailCommandCounter();
                    await using var pool = new MailConnectionPool(options);
                    var time = await TimeAsync(() => ProductPageAsync(Reader(counter, pool), account, secret, page, cancellationToken));
                    productCommands = counter.Commands;
                    if (iteration >= WarmUps)
                    {
                        product.Add(time);
                    }
                }
                else
                {
                    var counter = new MailCommandCounter();
                    ImapClient? client = null;
                    var time = await TimeAsync(async () =>
                    {
                        client = await SignInBareAsync(address, password, counter, cancellationToken);
                        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
                        return await BarePageAsync(client.Inbox, page, cancellationToken);
                    });
                    bareCommands = counter.Commands;
                    await client!.DisconnectAsync(true, cancellationToken);
                    client.Dispose();
                    if (iteration >= WarmUps)
                    {
                        direct.Add(time);
                    }
                }
            }
        }

        return new Measurement(messages, name, page, Temperature.Cold, [.. product], [.. direct], productCommands, bareCommands);
    }

    /// <summary>Before timing anything: both ways must show the same messages in the same order.</summary>
    private async Task CheckSamePageAsync(
        Account account, Func<CancellationToken, Task<string?>> secret, string address, string password, int page, CancellationToken cancellationToken)
    {
        await using var pool = new MailConnectionPool(options);
        var listing = await ProductPageAsync(Reader(new MailCommandCounter(), pool), account, secret, page, cancellationToken);
        using var bare = await SignInBareAsync(address, password, new MailCommandCounter(), cancellationToken);
        await bare.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var rows = await BarePageAsync(bare.Inbox, page, cancellationToken);
        var expected = rows.Select(r => r.UniqueId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var shown = listing.Page.Rows.Select(r => r.Id).ToArray();
        if (!shown.SequenceEqual(expected) || shown.Length == 0)
        {
            throw new InvalidOperationException($"Page {page}: the product shows [{string.Join(',', shown.Take(5))}…], the bare client [{string.Join(',', expected.Take(5))}…].");
        }

        await bare.DisconnectAsync(true, cancellationToken);
    }

    private MailSessions Reader(MailCommandCounter counter, MailConnectionPool pool) => new(connector, vault, pool, options) { ProtocolLoggers = counter.NewLogger };

    private static async Task<Listing> ProductPageAsync(
        MailSessions reader, Account account, Func<CancellationToken, Task<string?>> secret, int page, CancellationToken cancellationToken)
    {
        var work = await reader.UseAsync(account, secret, mailbox => mailbox.ListingAsync([], Folder, page, PageSize, cancellationToken), cancellationToken);
        return work.Value ?? throw new InvalidOperationException($"The product could not list the page: {work.FailedStage} {work.Problem}");
    }

    /// <summary>What the issue asks of the bare client: UID SORT, then FETCH of envelope, flags, size and date for that page's UIDs.</summary>
    private static async Task<IList<IMessageSummary>> BarePageAsync(IMailFolder inbox, int page, CancellationToken cancellationToken)
    {
        var uids = await inbox.SortAsync(SearchQuery.All, [OrderBy.ReverseArrival], cancellationToken);
        var slice = uids.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var summaries = await inbox.FetchAsync(
            slice, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.Size | MessageSummaryItems.InternalDate,
            cancellationToken);
        var order = slice.Select((uid, index) => (uid, index)).ToDictionary(p => p.uid, p => p.index);
        return summaries.OrderBy(s => order[s.UniqueId]).ToList();
    }

    private async Task<ImapClient> SignInBareAsync(string address, string password, MailCommandCounter counter, CancellationToken cancellationToken)
    {
        var client = new ImapClient(counter.NewLogger()) { ServerCertificateValidationCallback = certificates.Validate };
        await client.ConnectAsync(server.Endpoints.Host, server.Endpoints.Imaps, SecureSocketOptions.SslOnConnect, cancellationToken);
        await client.AuthenticateAsync(address, password, cancellationToken);
        return client;
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static long FolderSize(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}

public static class Statistics
{
    /// <summary>The nearest-rank percentile (0–100) of the samples.</summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double percentile)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
