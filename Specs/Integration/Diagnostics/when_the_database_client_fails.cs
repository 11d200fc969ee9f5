using Marten.Exceptions;
using MailAccounts.Infrastructure.Storage;
using Npgsql;

namespace MailAccounts.Specs.Integration.Diagnostics;

/// <summary>
/// A connection whose prepared statements no longer match the server (a table dropped under it) makes Npgsql throw its
/// own <see cref="ArgumentException"/>, not an <see cref="NpgsqlException"/>. The Diagnostics page must still tell it
/// as a database failure (and not answer 500), while a failure of the product's own code is not mistaken for one.
/// </summary>
public sealed class when_the_database_client_fails
{
    [Fact]
    public void an_exception_npgsql_throws_itself_is_a_client_failure_however_deeply_marten_wraps_it()
    {
        var thrown = Should.Throw<ArgumentException>(() => new NpgsqlConnectionStringBuilder("no such keyword=1"));
        var wrapped = new MartenCommandException(new NpgsqlCommand("select 1"), thrown);

        DatabaseConnections.ClientFailure(wrapped).ShouldBeSameAs(thrown);
    }

    [Fact]
    public void an_exception_of_the_products_own_code_is_not()
    {
        var own = Should.Throw<ArgumentException>(() => throw new ArgumentException("the product's own"));

        DatabaseConnections.ClientFailure(new InvalidOperationException("wrapped", own)).ShouldBeNull();
    }
}
