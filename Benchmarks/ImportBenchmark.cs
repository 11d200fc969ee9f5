using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Marten;
using MailAccounts.Benchmarks.EventStore;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.Storage;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Wolverine;
using static System.FormattableString;

namespace MailAccounts.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Benchmarks -- import [--messages 10000] [--seed 5] [--rounds 3] [--folder DIR]</c>: the import
/// benchmark of issue 16, against the private Dovecot and a durable private PostgreSQL (fsync and synchronous_commit on).
/// <list type="bullet">
/// <item>B2, first import: the listing benchmark's generated folder into an empty system, and in the same run mbsync
/// (Debian's isync, default FSync) pulling the same folder into a Maildir; messages per second of each and their ratio,
/// the product's peak RSS and its processor time (the process and PostgreSQL) per 1,000 messages; in rounds (mbsync,
/// then the product, each into an empty store), the ratio taken between the medians.</item>
/// <item>B3, incremental: a second run with nothing new, then 100 new messages, then 1,000 flag changes; the time,
/// IMAP commands, bodies fetched and bytes of each.</item>
/// <item>Resume: a first import cancelled at half its batches, and the run after it: messages fetched again, duplicates.</item>
/// </list>
/// Ends with one <c>TARGET</c> line a target.
/// </summary>
public static class ImportBenchmark
{
    private const int Batch = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var messages = int.Parse(options.GetValueOrDefault("messages") ?? "10000", CultureInfo.InvariantCulture);
        var seed = int.Parse(options.GetValueOrDefault("seed") ?? "5", CultureInfo.InvariantCulture);
        var rounds = Math.Max(1, int.Parse(options.GetValueOrDefault("rounds") ?? "3", CultureInfo.InvariantCulture));
        var keep = options.ContainsKey("folder");
        var folder = Path.GetFullPath(options.GetValueOrDefault("folder") ?? Path.Combine(Path.GetTempPath(), "mailaccounts-importbench-" + Guid.NewGuid().ToString("N")[..8]));
        var output = Console.Out;
        var mbsync = new[] { "/usr/bin/mbsync", "/usr/local/bin/mbsync" }.FirstOrDefault(File.Exists);
        output.WriteLine(Invariant($"Import benchmark: {messages:N0} generated messages (seed {seed}); batches of {Batch}"));
        output.WriteLine(Invariant($"Machine: {Environment.ProcessorCount} cores, {Machine.CpuModel()}; {RuntimeInformation.OSDescription}; .NET {Environment.Version}; data in {folder}"));
        var loadAtStart = Machine.LoadAverage();

        var server = await PrivateMailServer.StartAsync(Path.Combine(folder, "mail"), "bench.test");
        var postgres = await PrivatePostgres.StartAsync(Path.Combine(folder, "postgres"), durable: true);
        try
        {
            using var host = await StartHostAsync(postgres.ConnectionString, server);
            var store = host.Services.GetRequiredService<IDocumentStore>();
            var cpu = CpuMeter.ForCluster(Path.Combine(folder, "postgres", "data"));
            var results = new List<string>();
            var targets = new List<(string Name, string Measured, string Goal, bool Met)>();

            var counter = new MailCommandCounter();
            // One message with a 50 MB attachment, imported whole (the size limit raised above it), first: the process's peak RSS
            // while it imports it, before the other runs have grown the process.
            var (largeAddress, largePassword) = await LargeMailboxAsync(server, output);
            var largeAccount = await AccountAsync(host.Services, server, largeAddress, largePassword);
            GC.Collect();
            ResetPeakRss();
            var baseline = CurrentRssMb();
            var large = Engine(host.Services, counter, Batch, maxMessageBytes: 200L * 1024 * 1024);
            var watch = Stopwatch.StartNew();
            await ImportToEndAsync(large, largeAccount);
            var largeSeconds = watch.Elapsed.TotalSeconds;
            var largePeak = PeakRssMb();
            var largeLetters = await CountLettersAsync(store);
            if (largeLetters != 1)
            {
                throw new InvalidOperationException($"The large message made {largeLetters} letters instead of one.");
            }

            output.WriteLine(Invariant($"A message with a 50 MB attachment: imported in {largeSeconds:0.0} s; peak RSS {largePeak:0} MB (the process held {baseline:0} MB before)"));
            results.Add(Invariant($"| One message, 50 MB attachment | 1 | {largeSeconds:0.0} s | peak RSS {largePeak:0} MB | | | | 1 | |"));
            targets.Add(("import-50mb-attachment-peak-rss-mb", Invariant($"{largePeak:0}"), "<300", largePeak < 300));

            var (address, password) = await MailboxAsync(server, "bench", messages, seed, output);
            var engine = Engine(host.Services, counter, Batch);
            var account = await AccountAsync(host.Services, server, address, password);

            // B2, in rounds: mbsync over the folder into an empty Maildir, then the product's first import into an empty
            // system (the first round on this host, which the runs below go on with; each later one on a database and a
            // host of its own, in the same cluster and process). Both vary from run to run on a shared disk, mbsync the
            // more (it fsyncs every message): the ratio is taken between the medians, and every round is printed.
            var product = new List<FirstImport>();
            var mbsyncRates = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                if (mbsync is not null)
                {
                    var mbsyncFolder = Path.Combine(folder, "mbsync-" + round.ToString(CultureInfo.InvariantCulture));
                    var mbsyncSeconds = await MbsyncAsync(mbsync, server, address, password, mbsyncFolder);
                    mbsyncRates.Add(messages / mbsyncSeconds);
                    output.WriteLine(Invariant($"B2 round {round}: mbsync {mbsyncSeconds:0.0} s, {messages / mbsyncSeconds:0} messages/s"));
                    Directory.Delete(mbsyncFolder, recursive: true);
                }

                if (round == 1)
                {
                    product.Add(await FirstImportAsync(host.Services, engine, account, counter, cpu, messages, largeLetters));
                }
                else
                {
                    product.Add(await FirstImportElsewhereAsync(postgres, server, cpu, address, password, messages, round));
                }

                output.WriteLine(Invariant($"B2 round {round}: product {product[^1]}"));
            }

            var first = product[0];
            var peakRss = first.PeakRssMb;
            var productRate = Median(product.Select(p => p.Rate));
            var cpuPerThousand = Median(product.Select(p => p.CpuPerThousand));
            double? mbsyncRate = mbsyncRates.Count > 0 ? Median(mbsyncRates) : null;
            if (mbsync is null)
            {
                output.WriteLine("  mbsync: not installed (apt-get install isync): no ratio");
            }

            var mbsyncText = mbsyncRate is { } m ? Invariant($"{m:0}/s") : "–";
            var ratioText = mbsyncRate is { } r ? Invariant($"{productRate / r:0.00}") : "–";
            var roundsText = string.Join("; ", product.Select((p, i) => Invariant($"{p.Rate:0}") + (i < mbsyncRates.Count ? Invariant($" vs {mbsyncRates[i]:0} ({p.Rate / mbsyncRates[i]:0.00})") : "")));
            output.WriteLine($"B2 rounds (product vs mbsync messages/s): {roundsText}");
            for (var i = 0; i < product.Count; i++)
            {
                var (roundMbsync, roundRatio) = i < mbsyncRates.Count ? (Invariant($"{mbsyncRates[i]:0}/s"), Invariant($"{product[i].Rate / mbsyncRates[i]:0.00}")) : ("–", "–");
                results.Add(Invariant($"| B2 first import, round {i + 1} | {messages:N0} | {product[i].Seconds:0.0} s | {product[i].Rate:0}/s | {roundMbsync} | {roundRatio} | {product[i].Commands} | {messages} | {product[i].ServerBytes / 1024 / 1024:N0} MB |"));
            }

            results.Add(Invariant($"| B2 first import, median of {rounds} | {messages:N0} | {messages / productRate:0.0} s | {productRate:0}/s | {mbsyncText} | {ratioText} | {first.Commands} | {messages} | {first.ServerBytes / 1024 / 1024:N0} MB |"));
            if (mbsyncRate is { } rate)
            {
                targets.Add(("import-b2-ratio-to-mbsync", Invariant($"{productRate / rate:0.00}"), ">=1.0", productRate / rate >= 1.0));
                // The first round alone, as this benchmark measured before it ran rounds: a host that has imported nothing
                // yet (its import code not compiled by the JIT's later tiers) on a cluster created minutes before (every WAL
                // segment new, none recycled), against the first mbsync.
                var firstRatio = first.Rate / mbsyncRates[0];
                targets.Add(("import-b2-first-round-ratio-to-mbsync", Invariant($"{firstRatio:0.00}"), ">=1.0", firstRatio >= 1.0));
            }

            targets.Add(("import-b2-peak-rss-mb", Invariant($"{peakRss:0}"), "<500", peakRss < 500));

            // B3: incremental runs, each counted on its own.
            var (nothing, nothingSeconds, nothingCounts) = await CountedAsync(counter, () => ImportToEndAsync(engine, account));
            results.Add(Row("B3 nothing new", messages, nothingSeconds, nothingCounts, nothing.Fetched));
            targets.Add(("import-b3-nothing-new-bodies", nothingCounts.Bodies.ToString(CultureInfo.InvariantCulture), "0", nothingCounts.Bodies == 0));
            targets.Add(("import-b3-nothing-new-seconds", Invariant($"{nothingSeconds:0.000}"), "<1", nothingSeconds < 1));

            await AppendAsync(server, address, password, 100);
            var (hundred, hundredSeconds, hundredCounts) = await CountedAsync(counter, () => ImportToEndAsync(engine, account));
            results.Add(Row("B3 100 new", messages, hundredSeconds, hundredCounts, hundred.Fetched));
            targets.Add(("import-b3-100-new-bodies", hundredCounts.Bodies.ToString(CultureInfo.InvariantCulture), "100", hundredCounts.Bodies == 100));
            targets.Add(("import-b3-100-new-seconds", Invariant($"{hundredSeconds:0.000}"), "<2", hundredSeconds < 2));

            await FlagAsync(server, address, password, 1000);
            var (flagged, flaggedSeconds, flaggedCounts) = await CountedAsync(counter, () => ImportToEndAsync(engine, account));
            results.Add(Row("B3 1,000 flag changes", messages, flaggedSeconds, flaggedCounts, flagged.Fetched));
            targets.Add(("import-b3-flag-changes-bodies", flaggedCounts.Bodies.ToString(CultureInfo.InvariantCulture), "0", flaggedCounts.Bodies == 0));

            // Resume: a second mailbox and account, cancelled at half its batches, then run again.
            var resumeMessages = Math.Min(messages, 5000);
            var (resumeAddress, resumePassword) = await MailboxAsync(server, "resume", resumeMessages, seed + 1, output);
            var resumeAccount = await AccountAsync(host.Services, server, resumeAddress, resumePassword);
            var cut = Engine(host.Services, counter, Batch);
            using var stop = new CancellationTokenSource();
            var committed = 0;
            cut.BatchCommitted += () =>
            {
                if (++committed == resumeMessages / Batch / 2)
                {
                    stop.Cancel();
                }
            };
            var cutFetchedBefore = counter.BodiesFetched;
            try
            {
                await cut.ImportAccountAsync(resumeAccount, Actors.System, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            var fetchedBeforeStop = counter.BodiesFetched - cutFetchedBefore;
            var resumed = await ImportToEndAsync(Engine(host.Services, counter, Batch), resumeAccount);
            var again = fetchedBeforeStop + resumed.Fetched - resumeMessages;
            var duplicates = await CountLettersAsync(store) - largeLetters - messages - 100 - resumeMessages;
            output.WriteLine(Invariant($"Resume: {resumeMessages:N0} messages, stopped after {committed} batches with {fetchedBeforeStop} fetched; the next run fetched {resumed.Fetched}: {again} fetched again, {duplicates} duplicates"));
            results.Add(Invariant($"| Resume at 50 % | {resumeMessages:N0} | | | | | | {again} fetched again | {duplicates} duplicates |"));
            targets.Add(("import-resume-fetched-again", again.ToString(CultureInfo.InvariantCulture), Invariant($"<={Batch}"), again <= Batch));
            targets.Add(("import-resume-duplicates", duplicates.ToString(CultureInfo.InvariantCulture), "0", duplicates == 0));

            output.WriteLine();
            output.WriteLine("| Run | Folder | Time | Product | mbsync | Ratio | IMAP commands | Bodies fetched | Read |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            results.ForEach(output.WriteLine);
            output.WriteLine();
            output.WriteLine(Invariant($"CPU per 1,000 messages (first import, the process and PostgreSQL, median of the rounds): {cpuPerThousand:0.00} s; peak RSS {peakRss:0} MB (first round)"));
            output.WriteLine($"Load average at the end: {Machine.LoadAverage()} (at the start: {loadAtStart})");
            output.WriteLine();
            foreach (var (name, measured, goal, met) in targets)
            {
                output.WriteLine($"TARGET {name} {measured} {goal} {(met ? "met" : "missed")}");
            }

            return 0;
        }
        finally
        {
            await ImportBenchmark.CleanUpAsync(postgres, server, folder, keep);
        }
    }

    private sealed record Counts(int Commands, int Bodies, long Bytes);

    private static string Row(string run, int messages, double seconds, Counts counts, int fetched) =>
        Invariant($"| {run} | {messages:N0} | {seconds:0.000} s | {fetched} fetched | | | {counts.Commands} | {counts.Bodies} | {counts.Bytes / 1024:N0} KB |");

    private static async Task<(ImportResult Result, double Seconds, Counts Counts)> CountedAsync(MailCommandCounter counter, Func<Task<ImportResult>> run)
    {
        var (commands, bodies, bytes) = (counter.Commands, counter.BodiesFetched, counter.ServerBytes);
        var watch = Stopwatch.StartNew();
        var result = await run();
        var seconds = watch.Elapsed.TotalSeconds;
        return (result, seconds, new Counts(counter.Commands - commands, counter.BodiesFetched - bodies, counter.ServerBytes - bytes));
    }

    /// <summary>One first import of the folder into an empty system: its time, processor time and memory.</summary>
    private sealed record FirstImport(int Messages, double Seconds, double ProcessCpu, double PostgresCpu, double PeakRssMb, int Commands, long ServerBytes)
    {
        public double Rate => Messages / Seconds;

        public double CpuPerThousand => (ProcessCpu + PostgresCpu) / Messages * 1000;

        public override string ToString() => Invariant(
            $"{Seconds:0.0} s, {Rate:0} messages/s, peak RSS {PeakRssMb:0} MB, CPU {CpuPerThousand:0.00} s per 1,000 messages (process {ProcessCpu:0.0} s, PostgreSQL {PostgresCpu:0.0} s), {Commands} IMAP commands, {ServerBytes / 1024 / 1024:N0} MB read");
    }

    private static async Task<FirstImport> FirstImportAsync(
        IServiceProvider services, ImportEngine engine, Guid account, MailCommandCounter counter, CpuMeter cpu, int messages, int lettersBefore)
    {
        ResetPeakRss();
        var (commands, bytes) = (counter.Commands, counter.ServerBytes);
        var (cpuBefore, pgBefore) = cpu.Now();
        var watch = Stopwatch.StartNew();
        var result = await ImportToEndAsync(engine, account);
        var seconds = watch.Elapsed.TotalSeconds;
        var (cpuAfter, pgAfter) = cpu.Now();
        var peakRss = PeakRssMb();
        var letters = await CountLettersAsync(services.GetRequiredService<IDocumentStore>()) - lettersBefore;
        if (letters != messages || result.Fetched != messages)
        {
            throw new InvalidOperationException($"The first import stored {letters} letters from {result.Fetched} fetched messages instead of {messages}.");
        }

        return new FirstImport(messages, seconds, (cpuAfter - cpuBefore).TotalSeconds, (pgAfter - pgBefore).TotalSeconds, peakRss,
            counter.Commands - commands, counter.ServerBytes - bytes);
    }

    /// <summary>A first import into a database of its own in the same cluster, by a host of its own, both gone after.</summary>
    private static async Task<FirstImport> FirstImportElsewhereAsync(
        PrivatePostgres postgres, PrivateMailServer server, CpuMeter cpu, string address, string password, int messages, int round)
    {
        var database = "bench_round_" + round.ToString(CultureInfo.InvariantCulture);
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "postgres", Pooling = false };
        await ExecuteAsync(admin.ConnectionString, $"create database {database}");
        try
        {
            var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database }.ConnectionString;
            using var host = await StartHostAsync(connectionString, server);
            var account = await AccountAsync(host.Services, server, address, password);
            var counter = new MailCommandCounter();
            var result = await FirstImportAsync(host.Services, Engine(host.Services, counter, Batch), account, counter, cpu, messages, 0);
            await host.StopAsync();
            return result;
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin.ConnectionString, $"drop database if exists {database} with (force)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static async Task<ImportResult> ImportToEndAsync(ImportEngine engine, Guid account)
    {
        int fetched = 0, imported = 0;
        ImportResult result;
        var continues = false;
        do
        {
            result = await engine.ImportAccountAsync(account, Actors.System, CancellationToken.None, continues);
            if (result.Problem is { } problem)
            {
                throw new InvalidOperationException("The import failed: " + problem);
            }

            fetched += result.Fetched;
            imported += result.Imported;
            continues = result.More;
        }
        while (continues);

        return result with { Fetched = fetched, Imported = imported };
    }

    /// <summary>The product's engine, as the host wires it, with its own connections counted and no time slice (one run does it all).</summary>
    internal static ImportEngine Engine(IServiceProvider services, MailCommandCounter counter, int batch, long? maxMessageBytes = null)
    {
        var mail = services.GetRequiredService<MailOptions>();
        var sessions = new MailSessions(services.GetRequiredService<MailConnector>(), services.GetRequiredService<SecretVault>(), new MailConnectionPool(mail), mail)
        {
            ProtocolLoggers = counter.NewLogger,
        };
        var import = new ImportOptions { BatchMessages = batch };
        if (maxMessageBytes is { } max)
        {
            import.MaxMessageBytes = max;
        }

        return new ImportEngine(services.GetRequiredService<IDocumentStore>(), sessions, new LetterIntake(import, mail), import, TimeProvider.System,
            NullLogger<ImportEngine>.Instance) { Slice = TimeSpan.FromHours(1) };
    }

    /// <summary>A mailbox with the generated messages, indexed by Dovecot before anything is measured.</summary>
    private static async Task<(string Address, string Password)> MailboxAsync(PrivateMailServer server, string name, int messages, int seed, TextWriter output)
    {
        var address = $"{name}{messages}@{server.Endpoints.Domain}";
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await server.SetMailboxAsync(address, password);
        var home = server.MailboxFolder(address);
        var watch = Stopwatch.StartNew();
        await MaildirGenerator.WriteAsync(Path.Combine(home, "Maildir"), messages, seed, CancellationToken.None);
        await server.AdoptAsync(home);
        using (var client = await SignInAsync(server, address, password))
        {
            client.Timeout = (int)TimeSpan.FromMinutes(10).TotalMilliseconds;
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            if (client.Inbox.Count != messages)
            {
                throw new InvalidOperationException($"Dovecot sees {client.Inbox.Count} messages instead of {messages}.");
            }

            // Every message read once, so that the product and mbsync both meet files in the page cache.
            await client.Inbox.FetchAsync(0, -1, MessageSummaryItems.Size);
            await client.DisconnectAsync(true);
        }

        output.WriteLine(Invariant($"{address}: {messages:N0} messages generated and indexed in {watch.Elapsed.TotalSeconds:0.0} s"));
        return (address, password);
    }

    /// <summary>A mailbox holding one message with a 50 MB attachment of random bytes (which do not compress).</summary>
    private static async Task<(string Address, string Password)> LargeMailboxAsync(PrivateMailServer server, TextWriter output)
    {
        var address = $"large@{server.Endpoints.Domain}";
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await server.SetMailboxAsync(address, password);
        var content = new byte[50 * 1024 * 1024];
        new Random(7).NextBytes(content);
        var message = new MimeMessage { Subject = "Drawings", Date = DateTimeOffset.UtcNow, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("bench.test") };
        message.From.Add(new MailboxAddress("Boris", "b.petrov@partner.example"));
        message.To.Add(MailboxAddress.Parse(address));
        var body = new BodyBuilder { TextBody = "The drawings are attached." };
        body.Attachments.Add("drawings.bin", content, ContentType.Parse("application/octet-stream"));
        message.Body = body.ToMessageBody();
        using var client = await SignInAsync(server, address, password);
        client.Timeout = (int)TimeSpan.FromMinutes(5).TotalMilliseconds;
        await client.Inbox.AppendAsync(message, MessageFlags.None);
        await client.DisconnectAsync(true);
        output.WriteLine($"{address}: one message of {content.Length / 1024 / 1024} MB attachment appended");
        return (address, password);
    }

    /// <summary>The benchmark's servers stopped, and its data folder deleted unless it is to be kept.</summary>
    internal static async Task CleanUpAsync(PrivatePostgres postgres, PrivateMailServer server, string folder, bool keep)
    {
        await postgres.DisposeAsync();
        await server.DisposeAsync();
        if (!keep)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>An account of the product on the mailbox, importing all its mail, as the account form records it.</summary>
    private static async Task<Guid> AccountAsync(IServiceProvider services, PrivateMailServer server, string address, string password) =>
        (await OwnedAccountAsync(services, server, address, password)).Account;

    /// <summary>The same, with its owner (the user whose search the search benchmark runs).</summary>
    internal static async Task<(Guid Account, Guid Owner)> OwnedAccountAsync(IServiceProvider services, PrivateMailServer server, string address, string password)
    {
        var id = Guid.CreateVersion7();
        var owner = Guid.CreateVersion7();
        var secret = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await using var session = services.GetRequiredService<IDocumentStore>().LightweightSession();
        services.GetRequiredService<SecretVault>().Store(session, secret, owner, password);
        session.Events.StartStream<Account>(id,
            new AccountCreated(id, owner, AccountKind.Individual, "Benchmark " + address, "Benchmark", address, owner, now),
            new IncomingServerConfigured(id, IncomingProtocol.Imap, server.Endpoints.Host, server.Endpoints.Imaps, TransportSecurity.SslOnConnect, owner, now),
            new CredentialsChanged(id, address, secret, owner, now),
            new ImportChosen(id, true, null, null, owner, now));
        await session.SaveChangesAsync();
        return (id, owner);
    }

    internal static async Task<int> CountLettersAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return await session.Query<Letter>().CountAsync();
    }

    private static async Task AppendAsync(PrivateMailServer server, string address, string password, int count)
    {
        using var client = await SignInAsync(server, address, password);
        for (var n = 0; n < count; n++)
        {
            var message = new MimeMessage { Subject = $"New {n}", Date = DateTimeOffset.UtcNow, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("bench.test") };
            message.From.Add(new MailboxAddress("Boris", "b.petrov@partner.example"));
            message.To.Add(MailboxAddress.Parse(address));
            message.Body = new TextPart("plain") { Text = $"New message {n}" };
            await client.Inbox.AppendAsync(message, MessageFlags.None);
        }

        await client.DisconnectAsync(true);
    }

    private static async Task FlagAsync(PrivateMailServer server, string address, string password, int count)
    {
        using var client = await SignInAsync(server, address, password);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await client.Inbox.StoreAsync(new UniqueIdRange(new UniqueId(1), new UniqueId((uint)count)),
            new StoreFlagsRequest(StoreAction.Add, MessageFlags.Flagged) { Silent = true });
        await client.DisconnectAsync(true);
    }

    internal static async Task<ImapClient> SignInAsync(PrivateMailServer server, string address, string password)
    {
        var policy = new MailOptions { TrustedAuthorities = [server.Endpoints.AuthorityCertificatePath] }.CreateCertificatePolicy();
        var client = new ImapClient { ServerCertificateValidationCallback = policy.Validate };
        await client.ConnectAsync(server.Endpoints.Host, server.Endpoints.Imaps, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(address, password);
        return client;
    }

    /// <summary>
    /// mbsync pulling the inbox into an empty Maildir over IMAPS, with its default FSync; the seconds it took. It connects
    /// to "localhost" (127.0.0.1 here): its certificate check reads the certificate's host names, not its IP addresses.
    /// </summary>
    private static async Task<double> MbsyncAsync(string mbsync, PrivateMailServer server, string address, string password, string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "maildir"));
        var config = Path.Combine(folder, "mbsyncrc");
        var passwordFile = Path.Combine(folder, "password");
        await File.WriteAllTextAsync(passwordFile, password);
        await File.WriteAllTextAsync(config, Invariant($"""
            IMAPAccount bench
            Host localhost
            Port {server.Endpoints.Imaps}
            User {address}
            PassCmd "cat {passwordFile}"
            SSLType IMAPS
            CertificateFile {server.Endpoints.AuthorityCertificatePath}

            IMAPStore remote
            Account bench

            MaildirStore local
            Path {folder}/maildir/
            Inbox {folder}/maildir/INBOX

            Channel pull
            Far :remote:INBOX
            Near :local:INBOX
            Sync Pull
            Create Near
            SyncState *

            """));
        var watch = Stopwatch.StartNew();
        var (exit, text) = await RunAsync(mbsync, ["-c", config, "-q", "pull"]);
        var seconds = watch.Elapsed.TotalSeconds;
        if (exit != 0)
        {
            throw new InvalidOperationException($"mbsync failed ({exit}): {text}");
        }

        return seconds;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    /// <summary>The product's storage and mail side as WebHost sets them up, without the web part.</summary>
    internal static async Task<IHost> StartHostAsync(string connectionString, PrivateMailServer server)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:TrustedAuthorities:0"] = server.Endpoints.AuthorityCertificatePath,
            ["Mail:AllowedPrivateNetworks:0"] = "127.0.0.0/8",
        }.Concat(server.Endpoints.MailPorts.Select((port, i) => KeyValuePair.Create<string, string?>($"Mail:AllowedPorts:{i}", port.ToString(CultureInfo.InvariantCulture)))));
        builder.Services.AddMailAccountsStorage(connectionString);
        builder.Services.AddMail(builder.Configuration);
        builder.Services.AddImport(builder.Configuration);
        builder.UseWolverine(options =>
        {
            options.ConfigureMailAccounts(builder.Configuration);
            options.Durability.Mode = DurabilityMode.Solo;
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Linux keeps the peak resident size (VmHWM) since the process started, or since this reset.</summary>
    private static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static double CurrentRssMb() => Environment.WorkingSet / 1024.0 / 1024.0;

    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
