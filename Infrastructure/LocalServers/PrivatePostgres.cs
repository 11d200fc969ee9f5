using Npgsql;

namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>
/// A PostgreSQL server of our own: initdb into a folder, pg_ctl on a free loopback port, a generated
/// password. The app (when no connection string is configured), the demo and the specs all start it here.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string SuperUser = "mailaccounts";
    private const string Database = "mailaccounts";

    private readonly string _pgCtl;
    private readonly string _dataFolder;
    private readonly string? _runAs;
    private int _stopped;

    private PrivatePostgres(string pgCtl, string dataFolder, string? runAs, string connectionString, int port)
    {
        _pgCtl = pgCtl;
        _dataFolder = dataFolder;
        _runAs = runAs;
        ConnectionString = connectionString;
        Port = port;
    }

    public string ConnectionString { get; }

    public int Port { get; }

    /// <param name="folder">Holds the cluster; a second start over the same folder keeps the data.</param>
    /// <param name="durable">Off for throw-away test clusters: no fsync makes them several times faster.</param>
    public static async Task<PrivatePostgres> StartAsync(string folder, bool durable, CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries();
        var pgCtl = Path.Combine(bin, "pg_ctl");
        folder = Path.GetFullPath(folder);
        LocalFolders.CreateDirectory(folder);
        var data = Path.Combine(folder, "data");
        var passwordFile = Path.Combine(folder, "password");
        var log = Path.Combine(folder, "postgres.log");

        string? runAs = null;
        if (ProcessRunner.IsRoot)
        {
            runAs = "postgres";
            await EnsureUserExistsAsync(runAs, cancellationToken);
            if (!LocalFolders.OthersCanReach(folder))
            {
                throw new LocalServerException(
                    $"PostgreSQL runs as the user '{runAs}', who cannot enter {folder}: choose a data folder outside private folders "
                    + "(MailAccounts:DataFolder), or leave it unset.");
            }
        }

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }

            await LocalFolders.WriteSecretAsync(passwordFile, LocalFolders.NewSecret(), cancellationToken);
            if (runAs is not null)
            {
                await ProcessRunner.ChangeOwnerAsync(folder, runAs, cancellationToken);
            }

            await ProcessRunner.RunAsync(Path.Combine(bin, "initdb"),
            [
                "-D", data, "-U", SuperUser, "--pwfile=" + passwordFile, "-E", "UTF8", "--no-locale",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", .. durable ? Array.Empty<string>() : ["--no-sync"],
            ], cancellationToken, runAs);
        }
        else
        {
            // A host that died without stopping its server leaves it running over our folder: stop it first.
            await StopClusterAsync(pgCtl, data, runAs, cancellationToken, quietly: true);
        }

        var port = FreePorts.Take(1)[0];
        // TCP on loopback only, and no Unix socket: nothing connects through one, and its folder would have to be one
        // the postgres user can enter, beside the host's private runtime folder.
        var options = $"-p {port} -c unix_socket_directories='' -c listen_addresses=127.0.0.1";
        if (!durable)
        {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        if (runAs is not null)
        {
            await ProcessRunner.ChangeOwnerAsync(folder, runAs, cancellationToken);
        }

        try
        {
            await ProcessRunner.RunAsync(pgCtl, ["-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"],
                cancellationToken, runAs, timeout: TimeSpan.FromSeconds(90));

            var password = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
            var server = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = SuperUser,
                Password = password,
                Database = "postgres",
            };
            await CreateDatabaseAsync(server.ConnectionString, cancellationToken);
            server.Database = Database;
            return new PrivatePostgres(pgCtl, data, runAs, server.ConnectionString, port);
        }
        catch
        {
            // Failed or cancelled (Ctrl+C while starting): whoever called gets no server to stop, so none may be left.
            await StopClusterAsync(pgCtl, data, runAs, CancellationToken.None, quietly: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            NpgsqlConnection.ClearAllPools();
            await StopClusterAsync(_pgCtl, _dataFolder, _runAs, CancellationToken.None, quietly: false);
        }
    }

    private static async Task StopClusterAsync(string pgCtl, string data, string? runAs, CancellationToken cancellationToken, bool quietly)
    {
        try
        {
            await ProcessRunner.RunAsync(pgCtl, ["-D", data, "-m", "fast", "-w", "stop"], cancellationToken, runAs);
        }
        catch (LocalServerException) when (quietly)
        {
            // Not running: the usual case.
        }
    }

    private static async Task CreateDatabaseAsync(string serverConnectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", Database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database {Database}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task EnsureUserExistsAsync(string user, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessRunner.RunAsync("id", ["-u", user], cancellationToken);
        }
        catch (LocalServerException)
        {
            throw new LocalServerException(
                $"PostgreSQL refuses to run as root and the user '{user}' does not exist. Install it with: apt-get install -y postgresql");
        }
    }

    private static string FindBinaries()
    {
        // Debian keeps each major version's server tools in /usr/lib/postgresql/<version>/bin; take the newest.
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Select(d => (Folder: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version > 0 && File.Exists(Path.Combine(d.Folder, "bin", "pg_ctl")))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Folder, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        var initdb = ProcessRunner.Find("initdb")
            ?? throw new LocalServerException("PostgreSQL's initdb was not found. Install it with: apt-get install -y postgresql");
        return Path.GetDirectoryName(initdb)!;
    }
}
