using Marten;
using Npgsql;

namespace MailAccounts.Infrastructure.Storage;

/// <summary>
/// The pooled database connections, when the schema changed under them. Every connection keeps up to 64 statements
/// prepared (<c>MaxAutoPrepare</c>); a table dropped or re-created under them can leave a connection whose prepared
/// statements no longer match what the server sends. Seen in the specs after <c>mt_doc_account</c> was dropped: Npgsql
/// threw <see cref="ArgumentException"/> "Row's number of columns (3) differs from the row description's (1)" (not an
/// <see cref="NpgsqlException"/>), and the same connection, back in the pool, later timed out Wolverine's and the
/// rebuild's commands ("Exception while reading from stream").
/// </summary>
public static class DatabaseConnections
{
    /// <summary>
    /// Closes every idle pooled connection of the store and flags the busy ones to be closed when they are returned,
    /// so that the next command gets a connection with nothing prepared against the old schema.
    /// </summary>
    public static void DiscardPooled(IDocumentStore store)
    {
        if (store.Storage.Database is Weasel.Postgresql.PostgresqlDatabase database)
        {
            database.DataSource.Clear();
        }

        // Connections opened from a connection string (not the store's data source) have pools of their own.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// The database client's failure in <paramref name="e"/> however deeply it was wrapped: PostgreSQL's error, a lost
    /// connection, or Npgsql's own exception when a connection no longer matches the server.
    /// </summary>
    public static Exception? ClientFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException || e.Source == typeof(NpgsqlConnection).Assembly.GetName().Name)
            {
                return e;
            }
        }

        return null;
    }
}
