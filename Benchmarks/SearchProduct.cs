using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Infrastructure.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Benchmarks;

/// <summary>The product's imported-mail search (<see cref="ImportedSearch.SearchAsync"/>): the first page, its letters counted, and its problems.</summary>
internal static class SearchImported
{
    public static async Task<(int Found, IReadOnlyList<QueryProblem> Problems)> FirstPageAsync(IDocumentStore store, Actor viewer, MailCriteria criteria, int pageSize)
    {
        await using var session = store.QuerySession();
        var results = await ImportedSearch.SearchAsync(session, viewer, criteria, null, pageSize, CancellationToken.None);
        return (results.Letters.Count, results.Problems);
    }
}

/// <summary>
/// The product's live search on one folder (<see cref="LiveSearch.SearchFolderAsync(Account, Func{CancellationToken, Task{string?}}, string, MailCriteria, int, int, CancellationToken)"/>),
/// through the product's own sessions and a pool of its own kept open between runs, as the bare client keeps its
/// connection. The folder time limit is raised: Dovecot reads every message of a large folder for a BODY search, and
/// the benchmark measures how long that takes rather than the product's 20 s limit.
/// </summary>
internal sealed class SearchLive(MailConnectionPool pool, LiveSearch search, Account account, string password) : IAsyncDisposable
{
    public static Task<SearchLive> OpenAsync(IServiceProvider services, PrivateMailServer server, string address, string password)
    {
        var mail = services.GetRequiredService<MailOptions>();
        var pool = new MailConnectionPool(mail);
        var sessions = new MailSessions(services.GetRequiredService<MailConnector>(), services.GetRequiredService<SecretVault>(), pool, mail);
        var account = new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Benchmark", "Benchmark", address,
            new IncomingSettings(IncomingProtocol.Imap, server.Endpoints.Host, server.Endpoints.Imaps, TransportSecurity.SslOnConnect, address, Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
        return Task.FromResult(new SearchLive(pool, new LiveSearch(sessions, mail) { FolderTimeLimit = TimeSpan.FromMinutes(10) }, account, password));
    }

    /// <summary>The first page of the inbox's results; the total found. A folder problem (a refusal, a failure) stops the benchmark.</summary>
    public async Task<int> FirstPageAsync(MailCriteria criteria, int pageSize)
    {
        var results = await search.SearchFolderAsync(account, _ => Task.FromResult<string?>(password), "INBOX", criteria, 1, pageSize, CancellationToken.None);
        if (results.Problems.Count > 0)
        {
            throw new InvalidOperationException("The live search failed: " + string.Join(", ", results.Problems.Select(p => $"{p.Code} {p.Detail}")));
        }

        return results.Total;
    }

    public ValueTask DisposeAsync() => pool.DisposeAsync();
}
