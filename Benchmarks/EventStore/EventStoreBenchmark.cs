using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using JasperFx.Events;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;

namespace MailAccounts.Benchmarks.EventStore;

/// <summary>
/// Issue 7's event-store benchmark: settings events written through the product's Marten store (its configuration,
/// inline projections on), against a plain binary COPY of the same JSON; an account's state loaded; the History page of
/// an account with 1,000 events; every projection rebuilt by the product's rebuild.
/// </summary>
public static class EventStoreBenchmark
{
    public const string Usage =
        "usage: events [--events 1000000] [--accounts 10000] [--seed 7] [--chunk 10 (events per stream per commit)] [--streams 100 (streams per commit)] "
        + "[--samples 300 (loads per way)] [--history-runs 100] [--commands 1000 (one-event commits)] [--durable false] [--folder DIR (kept)] "
        + "[--append-mode Quick (an experiment: the product uses Marten's default)]";

    public const double AppendRatioTarget = 0.3;
    public const double RebuildTarget = 5_000;
    public const double HistoryTargetMs = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        if (args.Length % 2 != 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        int Number(string name, int fallback) => options.TryGetValue(name, out var value) ? int.Parse(value.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;
        var events = Number("events", 1_000_000);
        var accounts = Number("accounts", 10_000);
        var seed = Number("seed", 7);
        var chunk = Number("chunk", 10);
        var streams = Number("streams", 100);
        var samples = Number("samples", 300);
        var historyRuns = Number("history-runs", 100);
        var commands = Number("commands", 1_000);
        var durable = bool.Parse(options.GetValueOrDefault("durable") ?? "false");
        EventAppendMode? appendMode = options.TryGetValue("append-mode", out var mode) ? Enum.Parse<EventAppendMode>(mode, ignoreCase: true) : null;
        var keep = options.ContainsKey("folder");
        var folder = Path.GetFullPath(options.GetValueOrDefault("folder") ?? Path.Combine(Path.GetTempPath(), "mailaccounts-evbench-" + Guid.NewGuid().ToString("N")[..8]));
        var webHost = FindWebHost();

        // The page is rendered in English, as for a reader whose browser asks for it.
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        var output = Console.Out;
        output.WriteLine(Invariant($"Event-store benchmark: {events:N0} settings events over {accounts:N0} accounts; commits of {streams} streams x {chunk} events; seed {seed}"));
        output.WriteLine(Invariant($"Machine: {Environment.ProcessorCount} cores, {Machine.CpuModel()}; {RuntimeInformation.OSDescription}; .NET {Environment.Version}; PostgreSQL in {folder} ({(durable ? "durable" : "fsync off, as the specs run it")})"));
        var loadAtStart = Machine.LoadAverage();

        var watch = Stopwatch.StartNew();
        var generated = new SettingsEvents(seed, accounts, events);
        var plan = WritePlan.Batches(generated.Accounts, chunk, streams);
        output.WriteLine(Invariant($"Generated {generated.EventCount:N0} events in {plan.Count:N0} commits ({watch.Elapsed.TotalSeconds:0.0} s); history account {generated.Accounts[0].Id} has {generated.Accounts[0].Events.Count:N0}"));

        var postgres = await PrivatePostgres.StartAsync(Path.Combine(folder, "postgres"), durable);
        try
        {
            using var host = await StartHostAsync(postgres.ConnectionString, appendMode);
            var store = host.Services.GetRequiredService<IDocumentStore>();
            output.WriteLine($"PostgreSQL {await ScalarAsync<string>(postgres.ConnectionString, "show server_version")}; store as the product configures it (Marten, Wolverine, inline projections: {string.Join(", ", ProjectedViews.All.Select(v => v.Name))})"
                + (appendMode is { } changed ? $", EXCEPT the append mode, set to {changed} for this run" : $"; append mode {store.Options.Events.AppendMode}"));
            await SetUpAsync(store, generated);

            var results = new Results();

            var cpu = CpuMeter.ForCluster(Path.Combine(folder, "postgres", "data"));
            output.WriteLine("Appending: each commit through the product's Marten session (StartStream/Append, SaveChangesAsync, inline projections), "
                + "and the same events with a plain binary COPY (the floor), commit by commit in turn, so that both meet the same load...");
            var serializer = store.Options.Serializer();
            // The type as Marten names it by default: the class name in snake case (account_created).
            await using (var floor = await CopyFloor.CreateAsync(postgres.ConnectionString, serializer.ToJson, t => SnakeCase(t.Name), CancellationToken.None))
            {
                await AppendAsync(store, floor, plan, cpu, results, output);
            }

            results.AppendedEvents = generated.EventCount;
            output.WriteLine(Invariant($"  Marten {results.Marten.Rate(results.AppendedEvents)}; COPY {results.Copy.Rate(results.AppendedEvents)}"));

            // A loaded table is analysed by autovacuum within minutes in use; here at once, so that plans are those of a settled database.
            await ExecuteAsync(postgres.ConnectionString, "VACUUM ANALYZE");

            var random = new Random(seed + 1);
            var typical = Enumerable.Range(0, samples + 20).Select(_ => generated.Accounts[1 + random.Next(generated.Accounts.Count - 1)].Id).ToArray();
            output.WriteLine(Invariant($"Loading one account's state, {samples} accounts each way (mean {(double)(generated.EventCount - generated.Accounts[0].Events.Count) / Math.Max(1, accounts - 1):0} events)..."));
            results.Loads.Add(("Projected document (LoadAsync, what pages read)", await TimeAsync(cpu, typical, id => UsingQuery(store, s => s.LoadAsync<Account>(id)))));
            results.Loads.Add(("FetchForWriting (what handlers read)", await TimeAsync(cpu, typical, id => UsingSession(store, s => s.Events.FetchForWriting<Account>(id)))));
            results.Loads.Add(("FetchLatest", await TimeAsync(cpu, typical, id => UsingSession(store, s => s.Events.FetchLatest<Account>(id).AsTask()))));
            results.Loads.Add(("AggregateStreamAsync (replay through the projection)", await TimeAsync(cpu, typical, id => UsingQuery(store, s => s.Events.AggregateStreamAsync<Account>(id)))));
            results.Loads.Add(("FetchStreamAsync + Account.Evolve", await TimeAsync(cpu, typical, id => UsingQuery(store, async s =>
                (await s.Events.FetchStreamAsync(id)).Aggregate((Account?)null, (state, e) => Account.Evolve(state, e.Data))))));

            var history = generated.Accounts[0];
            var owner = ((AccountCreated)history.Events[0]).OwnerId;
            var viewer = new Actor(owner, IsAdministrator: false);
            var page = new HistoryPage(new TemplateRenderer(Path.Combine(webHost, "Templates")));
            var repeated = Enumerable.Repeat(history.Id, historyRuns + 5).ToArray();
            var html = await UsingQuery(store, s => page.RenderAsync(s, history.Id, viewer, CancellationToken.None));
            var rows = html.Split("<tr class=\"event\"").Length - 1;
            if (rows != history.Events.Count)
            {
                throw new InvalidOperationException($"The history page lists {rows} events instead of {history.Events.Count}.");
            }

            output.WriteLine(Invariant($"History of the account with {history.Events.Count:N0} events, {historyRuns} times each way (the page lists them all in {html.Length / 1024:N0} KB of HTML)..."));
            results.History.Add(("SettingsHistory.LoadAsync", await TimeAsync(cpu, repeated, id => UsingQuery(store, s =>
                MailAccounts.Infrastructure.History.SettingsHistory.LoadAsync<Account>(s, id, Account.Evolve, Account.Settings, CancellationToken.None)), warmUp: 5)));
            results.History.Add(("the page: access check, LoadAsync, describer, view model, History.scriban", await TimeAsync(cpu, repeated, id => UsingQuery(store, s =>
                page.RenderAsync(s, id, viewer, CancellationToken.None)), warmUp: 5)));
            results.History.Add(("the page without rendering the template", await TimeAsync(cpu, repeated, id => UsingQuery(store, s =>
                page.RenderAsync(s, id, viewer, CancellationToken.None, render: false)), warmUp: 5)));
            results.History.Add(("export as JSON", await TimeAsync(cpu, repeated, id => UsingQuery(store, s => HistoryPage.ExportJsonAsync(s, id, CancellationToken.None)), warmUp: 5)));

            output.WriteLine(Invariant($"Command-sized writes: {commands:N0} commits of one event each (FetchForWriting, Append, SaveChangesAsync)..."));
            results.CommandMs = await CommandsAsync(store, generated, commands, seed, cpu, results.Commands);

            output.WriteLine("Rebuilding every projection with the product's rebuild (Marten's daemon, one view after another)...");
            await RebuildAsync(host.Services, store, postgres.ConnectionString, generated, cpu, results, output);

            Print(results, output);
            output.WriteLine($"Load average at the end: {Machine.LoadAverage()} (at the start: {loadAtStart})");
            return 0;
        }
        finally
        {
            await postgres.DisposeAsync();
            if (!keep)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The product's storage and messaging as WebHost sets them up, without the web part.</summary>
    private static async Task<IHost> StartHostAsync(string connectionString, EventAppendMode? appendMode)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The product's key ring in a throw-away database: its warning about unencrypted keys says nothing here.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Services.AddMailAccountsStorage(connectionString);
        if (appendMode is { } mode)
        {
            builder.Services.ConfigureMarten(options => options.Events.AppendMode = mode);
        }

        builder.UseWolverine(options =>
        {
            options.ConfigureMailAccounts();
            options.Durability.Mode = DurabilityMode.Solo;
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The users and outgoing servers the accounts refer to, written before anything is measured; also warms the store up.</summary>
    private static async Task SetUpAsync(IDocumentStore store, SettingsEvents generated)
    {
        await using var session = store.LightweightSession();
        foreach (var user in generated.Users)
        {
            session.Events.StartStream<User>(user.UserId, user);
        }

        foreach (var server in generated.Servers)
        {
            session.Events.StartStream<OutgoingServer>(server.ServerId, server);
        }

        await session.SaveChangesAsync();

        await using var query = store.QuerySession();
        await query.LoadAsync<Account>(Guid.Empty);
        await query.LoadAsync<AccountHealth>(Guid.Empty);
        await query.Events.FetchStreamAsync(Guid.Empty);
    }

    private static async Task AppendAsync(IDocumentStore store, CopyFloor floor, IReadOnlyList<IReadOnlyList<StreamChunk>> plan, CpuMeter cpu, Results results, TextWriter output)
    {
        results.CommitMs = new double[plan.Count];
        var total = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        for (var i = 0; i < plan.Count; i++)
        {
            // Taking turns at who goes first, so that neither always finds the pages the other just warmed.
            var batch = plan[i];
            if (i % 2 == 0)
            {
                await MeasureAsync(cpu, results.Copy, () => floor.WriteAsync(batch, CancellationToken.None));
            }

            results.CommitMs[i] = await MeasureAsync(cpu, results.Marten, () => AppendAsync(store, batch));
            if (i % 2 == 1)
            {
                await MeasureAsync(cpu, results.Copy, () => floor.WriteAsync(batch, CancellationToken.None));
            }

            if (total.Elapsed - lastReport > TimeSpan.FromSeconds(60))
            {
                lastReport = total.Elapsed;
                output.WriteLine(Invariant($"  {i + 1:N0}/{plan.Count:N0} commits after {total.Elapsed.TotalSeconds:0} s (Marten {results.Marten.Wall.TotalSeconds:0} s, COPY {results.Copy.Wall.TotalSeconds:0} s; load average {Machine.LoadAverage()})"));
            }
        }
    }

    private static async Task AppendAsync(IDocumentStore store, IReadOnlyList<StreamChunk> batch)
    {
        await using var session = store.LightweightSession();
        foreach (var chunk in batch)
        {
            if (chunk.Starts)
            {
                session.Events.StartStream<Account>(chunk.StreamId, chunk.Events);
            }
            else
            {
                session.Events.Append(chunk.StreamId, chunk.Events);
            }
        }

        await session.SaveChangesAsync();
    }

    /// <summary>Milliseconds of the call; its wall-clock and processor time are added to <paramref name="meter"/>.</summary>
    private static async Task<double> MeasureAsync(CpuMeter cpu, Meter meter, Func<Task> work)
    {
        var before = cpu.Now();
        var watch = Stopwatch.StartNew();
        await work();
        var elapsed = watch.Elapsed;
        meter.Add(elapsed, before, cpu.Now());
        return elapsed.TotalMilliseconds;
    }

    private static async Task<double[]> CommandsAsync(IDocumentStore store, SettingsEvents generated, int count, int seed, CpuMeter cpu, Meter meter)
    {
        var random = new Random(seed + 2);
        // Never the history account: its 1,000 events are what the history figure is about.
        var writes = Enumerable.Range(0, count).Select(_ => generated.Accounts[1 + random.Next(generated.Accounts.Count - 1)].Id)
            .Select(account => (Account: account, Event: generated.Later(account, 1).Single())).ToArray();
        var commits = new double[count];
        var before = cpu.Now();
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var session = store.LightweightSession())
            {
                var stream = await session.Events.FetchForWriting<Account>(writes[i].Account);
                stream.AppendOne(writes[i].Event);
                await session.SaveChangesAsync();
            }

            commits[i] = watch.Elapsed.TotalMilliseconds;
        }

        meter.Add(TimeSpan.FromMilliseconds(commits.Sum()), before, cpu.Now());
        return commits;
    }

    private static async Task RebuildAsync(
        IServiceProvider services, IDocumentStore store, string connectionString, SettingsEvents generated, CpuMeter cpu, Results results, TextWriter output)
    {
        results.StoredEvents = await ScalarAsync<long>(connectionString, $"select count(*) from {StorageConfiguration.Schema}.mt_events");
        var sample = generated.Accounts.Take(50).Select(a => a.Id).ToArray();
        var before = await SnapshotAsync(store, sample);

        var rebuild = services.GetRequiredService<ProjectionRebuild>();
        var rowsBefore = await EventRowsReadAsync(connectionString);
        var cpuBefore = cpu.Now();
        var watch = Stopwatch.StartNew();
        var running = rebuild.RunAsync();
        // The product's rebuild says which view it is on; sampling that gives each view's share.
        string? current = null;
        var started = TimeSpan.Zero;
        while (!running.IsCompleted)
        {
            var now = rebuild.Progress.Current;
            if (now != current)
            {
                if (current is not null)
                {
                    results.RebuildViews.Add((current, watch.Elapsed - started));
                    output.WriteLine(Invariant($"  {current}: {(watch.Elapsed - started).TotalSeconds:0.0} s"));
                }

                current = now;
                started = watch.Elapsed;
            }

            await Task.WhenAny(running, Task.Delay(20));
        }

        await running;
        results.Rebuild.Add(watch.Elapsed, cpuBefore, cpu.Now());
        if (current is not null)
        {
            results.RebuildViews.Add((current, watch.Elapsed - started));
            output.WriteLine(Invariant($"  {current}: {(watch.Elapsed - started).TotalSeconds:0.0} s"));
        }

        results.RebuildError = rebuild.Progress.Error;
        // PostgreSQL publishes its table statistics a moment after a transaction ends.
        await Task.Delay(TimeSpan.FromSeconds(2));
        results.RebuildRowsRead = await EventRowsReadAsync(connectionString) - rowsBefore;
        var after = await SnapshotAsync(store, sample);
        await using var session = store.QuerySession();
        var documents = await session.Query<Account>().CountAsync();
        var health = await session.Query<AccountHealth>().CountAsync();
        results.RebuildCheck = documents == generated.Accounts.Count && health == generated.Accounts.Count && before.SequenceEqual(after)
            ? $"{documents:N0} accounts and {health:N0} health documents; the first {sample.Length} accounts equal to before"
            : $"WRONG: {documents:N0} accounts, {health:N0} health documents (expected {generated.Accounts.Count:N0}); first {sample.Length} equal to before: {before.SequenceEqual(after)}";
    }

    /// <summary>Rows of mt_events PostgreSQL has read so far, by scans and through indexes.</summary>
    private static Task<long> EventRowsReadAsync(string connectionString) => ScalarAsync<long>(connectionString,
        $"select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) from pg_stat_user_tables where schemaname = '{StorageConfiguration.Schema}' and relname = 'mt_events'");

    private static async Task<string[]> SnapshotAsync(IDocumentStore store, IReadOnlyList<Guid> ids)
    {
        var serializer = store.Options.Serializer();
        await using var session = store.QuerySession();
        var snapshot = new List<string>();
        foreach (var id in ids)
        {
            snapshot.Add(serializer.ToJson(await session.LoadAsync<Account>(id)) + serializer.ToJson(await session.LoadAsync<AccountHealth>(id)));
        }

        return [.. snapshot];
    }

    /// <summary>Milliseconds per call, in a session of its own as a request has; the first calls only warm up.</summary>
    private static async Task<Timed> TimeAsync(CpuMeter cpu, IReadOnlyList<Guid> ids, Func<Guid, Task> call, int warmUp = 20)
    {
        for (var i = 0; i < Math.Min(warmUp, ids.Count); i++)
        {
            await call(ids[i]);
        }

        // Processor time over the whole series: reading it costs more than a load, so not around every call.
        var times = new List<double>(ids.Count);
        var before = cpu.Now();
        for (var i = warmUp; i < ids.Count; i++)
        {
            var watch = Stopwatch.StartNew();
            await call(ids[i]);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var meter = new Meter();
        meter.Add(TimeSpan.FromMilliseconds(times.Sum()), before, cpu.Now());
        return new Timed([.. times], meter.Cpu.TotalMilliseconds / Math.Max(1, times.Count));
    }

    private static async Task<T> UsingQuery<T>(IDocumentStore store, Func<IQuerySession, Task<T>> read)
    {
        await using var session = store.QuerySession();
        return await read(session);
    }

    private static async Task<T> UsingSession<T>(IDocumentStore store, Func<IDocumentSession, Task<T>> read)
    {
        await using var session = store.LightweightSession();
        return await read(session);
    }

    private static void Print(Results r, TextWriter output)
    {
        var ratio = r.Marten.PerSecond(r.AppendedEvents) / r.Copy.PerSecond(r.AppendedEvents);
        var cpuRatio = r.Marten.PerCpuSecond(r.AppendedEvents) / r.Copy.PerCpuSecond(r.AppendedEvents);
        var rebuild = r.Rebuild.PerSecond(r.StoredEvents);
        var page = r.History[1].Timed;

        output.WriteLine();
        // Processor time is the benchmark's and its PostgreSQL's while the work ran, background threads included (the
        // collector, Wolverine's polling, autovacuum): exact for the long phases, an upper bound for sub-millisecond loads.
        output.WriteLine("| Measure | Wall clock | Processor time (benchmark + PostgreSQL) | Target | |");
        output.WriteLine("|---|---:|---:|---:|---|");
        output.WriteLine(Invariant($"| Append {r.AppendedEvents:N0} events, plain binary COPY (floor) | {r.Copy.PerSecond(r.AppendedEvents):N0} events/s | {r.Copy.PerCpuSecond(r.AppendedEvents):N0} events per CPU-second | | |"));
        output.WriteLine(Invariant($"| Append {r.AppendedEvents:N0} events, product's Marten session | {r.Marten.PerSecond(r.AppendedEvents):N0} events/s | {r.Marten.PerCpuSecond(r.AppendedEvents):N0} events per CPU-second | | |"));
        output.WriteLine(Invariant($"| Append, Marten / COPY | {ratio:0.00} | {cpuRatio:0.00} | ≥ {AppendRatioTarget:0.0} | {Verdict(ratio >= AppendRatioTarget)} |"));
        output.WriteLine(Invariant($"| Append, one commit of ~{r.AppendedEvents / r.CommitMs.Length:N0} events (p50 / p95) | {Samples.Percentile(r.CommitMs, 50):0} / {Samples.Percentile(r.CommitMs, 95):0} ms | | | |"));
        output.WriteLine(Invariant($"| Command-sized writes: FetchForWriting, one event, SaveChangesAsync (p50 / p95) | {Samples.Percentile(r.CommandMs, 50):0.0} / {Samples.Percentile(r.CommandMs, 95):0.0} ms; {r.Commands.PerSecond(r.CommandMs.Length):N0} commits/s | {r.Commands.Cpu.TotalMilliseconds / r.CommandMs.Length:0.0} ms a commit | | |"));
        foreach (var (name, timed) in r.Loads)
        {
            output.WriteLine(Invariant($"| Load one account: {name} (p50 / p95) | {Samples.Percentile(timed.Ms, 50):0.00} / {Samples.Percentile(timed.Ms, 95):0.00} ms | {timed.CpuMs:0.00} ms a load | | |"));
        }

        for (var i = 0; i < r.History.Count; i++)
        {
            var (name, timed) = r.History[i];
            var target = i == 1 ? Invariant($" < {HistoryTargetMs:0} ms at p95 | {Verdict(Samples.Percentile(page.Ms, 95) < HistoryTargetMs)} |") : " | |";
            output.WriteLine(Invariant($"| History of 1,000 events: {name} (p50 / p95) | {Samples.Percentile(timed.Ms, 50):0} / {Samples.Percentile(timed.Ms, 95):0} ms | {timed.CpuMs:0} ms a run |{target}"));
        }

        output.WriteLine(Invariant($"| Rebuild of every view ({r.RebuildViews.Count} views over {r.StoredEvents:N0} events, {r.Rebuild.Wall.TotalSeconds:0} s) | {rebuild:N0} events/s | {r.Rebuild.PerCpuSecond(r.StoredEvents):N0} events per CPU-second | ≥ {RebuildTarget:N0} events/s | {Verdict(rebuild >= RebuildTarget && r.RebuildError is null)} |"));
        output.WriteLine();
        output.WriteLine($"Processor time: COPY {r.Copy.Split}; Marten {r.Marten.Split}; rebuild {r.Rebuild.Split}");
        output.WriteLine(Invariant($"Rebuild by view (it read {r.RebuildRowsRead:N0} event rows, {(double)r.RebuildRowsRead / r.StoredEvents:0.0} times the events in the store): ")
            + string.Join("; ", r.RebuildViews.Select(v => Invariant($"{v.View} {v.Time.TotalSeconds:0.0} s ({r.StoredEvents / v.Time.TotalSeconds:N0} events/s)"))));
        output.WriteLine("After the rebuild: " + (r.RebuildError is { } error ? "FAILED: " + error : r.RebuildCheck));

        // One line a target, last, so that a missed one cannot hide in the table.
        var historyP95 = Samples.Percentile(page.Ms, 95);
        output.WriteLine();
        output.WriteLine(Invariant($"TARGET events-append-ratio-to-copy {ratio:0.00} >={AppendRatioTarget:0.0} {Met(ratio >= AppendRatioTarget)}"));
        output.WriteLine(Invariant($"TARGET events-history-1000-p95-ms {historyP95:0} <{HistoryTargetMs:0} {Met(historyP95 < HistoryTargetMs)}"));
        output.WriteLine(Invariant($"TARGET events-rebuild-per-second {rebuild:0} >={RebuildTarget:0} {Met(rebuild >= RebuildTarget && r.RebuildError is null)}"));
    }

    private static string Met(bool met) => met ? "met" : "missed";

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The web project's folder, for its templates and words: the benchmark runs from the repository.</summary>
    private static string FindWebHost()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "WebHost");
                if (File.Exists(Path.Combine(candidate, "Templates", "History.scriban")))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException("WebHost/Templates not found: run the benchmark from the repository.");
    }

    /// <summary>Wall-clock and processor time spent on one kind of work.</summary>
    private sealed class Meter
    {
        public TimeSpan Wall { get; private set; }

        /// <summary>The benchmark's processor time: Marten, Npgsql, serialisation, the page's own code.</summary>
        public TimeSpan ClientCpu { get; private set; }

        /// <summary>PostgreSQL's processor time.</summary>
        public TimeSpan ServerCpu { get; private set; }

        public TimeSpan Cpu => ClientCpu + ServerCpu;

        public void Add(TimeSpan wall, (TimeSpan Client, TimeSpan Server) before, (TimeSpan Client, TimeSpan Server) after)
        {
            Wall += wall;
            ClientCpu += after.Client - before.Client;
            ServerCpu += after.Server - before.Server;
        }

        public string Split => Invariant($"{ClientCpu.TotalSeconds:0.0} CPU-s in .NET, {ServerCpu.TotalSeconds:0.0} in PostgreSQL");

        public double PerSecond(long count) => count / Wall.TotalSeconds;

        public double PerCpuSecond(long count) => count / Cpu.TotalSeconds;

        public string Rate(long count) => Invariant($"{PerSecond(count):N0} events/s ({Wall.TotalSeconds:0.0} s; {Split})");
    }

    private sealed record Timed(double[] Ms, double CpuMs);

    private sealed class Results
    {
        public int AppendedEvents { get; set; }

        public Meter Copy { get; } = new();

        public Meter Marten { get; } = new();

        public double[] CommitMs { get; set; } = [];

        public Meter Commands { get; } = new();

        public double[] CommandMs { get; set; } = [];

        public List<(string Name, Timed Timed)> Loads { get; } = [];

        public List<(string Name, Timed Timed)> History { get; } = [];

        public long StoredEvents { get; set; }

        public Meter Rebuild { get; } = new();

        public List<(string View, TimeSpan Time)> RebuildViews { get; } = [];

        public long RebuildRowsRead { get; set; }

        public string? RebuildError { get; set; }

        public string RebuildCheck { get; set; } = "";
    }
}

internal static class Samples
{
    /// <summary>The nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double percentile)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>What the figures ran on.</summary>
internal static class Machine
{
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
}
