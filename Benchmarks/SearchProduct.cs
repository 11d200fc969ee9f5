using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.LocalServers;

namespace MailAccounts.Benchmarks;

/// <summary>The product's imported-mail search, as the benchmark calls it: the first page, its letters counted, and its problems.</summary>
internal static class SearchImported
{
    public static bool Available => false;

    public static string Missing => "the product's imported search (Infrastructure/Search/ImportedSearch.cs) is not on main yet";

    public static Task<(int Found, IReadOnlyList<QueryProblem> Problems)> FirstPageAsync(IDocumentStore store, Actor viewer, MailCriteria criteria, int pageSize) =>
        throw new NotSupportedException(Missing);
}

/// <summary>The product's live search on one folder, as the benchmark calls it: the first page, its letters counted.</summary>
internal sealed class SearchLive : IAsyncDisposable
{
    public bool Available => false;

    public string Missing => "the product's live search (Infrastructure/Search/LiveSearch.cs, branch i18-live) is not merged yet";

    public static Task<SearchLive> OpenAsync(IServiceProvider services, PrivateMailServer server, string address, string password) =>
        Task.FromResult(new SearchLive());

    public Task<int> FirstPageAsync(MailCriteria criteria, int pageSize) => throw new NotSupportedException(Missing);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
