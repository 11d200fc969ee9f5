using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace MailAccounts.Infrastructure.Import;

/// <summary>
/// One host, one worker at a time per account, however many hosts share the database: a PostgreSQL session-level
/// advisory lock on a connection of its own, held for as long as the work runs and let go when it ends (or when the
/// process dies and PostgreSQL closes the connection).
/// </summary>
public sealed class AccountLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;

    private AccountLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The lock, or null when another worker holds it.</summary>
    public static async Task<AccountLock?> TryTakeAsync(NpgsqlDataSource dataSource, Guid accountId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = KeyOf(accountId) } } };
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new AccountLock(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // A pooled connection would keep a session lock: it goes back to the pool holding none.
            await using var command = new NpgsqlCommand("select pg_advisory_unlock_all()", _connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }

    /// <summary>A 64-bit key of the import's lock space for the account.</summary>
    private static long KeyOf(Guid accountId) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"import/{accountId:N}")), 0);
}
