using System.Net;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.Infrastructure.Storage;
using MailAccounts.Specs.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MailAccounts.Specs.Integration.Diagnostics;

/// <summary>
/// A damaged view does not break the Diagnostics page: <see cref="AccountHealthQuery"/> answers with the database's
/// own words, which the page shows beside the Rebuild button that repairs it. In the collection of the other specs that
/// damage tables, so that no spec reads the health while it is gone.
/// </summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_the_account_health_cannot_be_read(ProductFixture product)
{
    [Fact]
    public async Task the_query_returns_the_database_problem_and_the_page_shows_it()
    {
        // An account to read the health of: with none, there is nothing to ask the damaged table.
        using var user = await product.NewUserAsync();
        await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Unreadable health " + Guid.NewGuid().ToString("N")[..6]);
        await using (var connection = new NpgsqlConnection(product.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop table {StorageConfiguration.Schema}.mt_doc_accounthealth cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }

        var rebuild = product.Services.GetRequiredService<ProjectionRebuild>();
        try
        {
            await using (var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession())
            {
                var report = await AccountHealthQuery.RunAsync(session, new Actor(Guid.NewGuid(), IsAdministrator: true), CancellationToken.None);
                report.Rows.ShouldBeEmpty();
                report.Problem.ShouldNotBeNull().ShouldContain("mt_doc_accounthealth");
            }

            using var admin = await product.AdministratorAsync();
            var page = await admin.GetAsync("/Admin/Diagnostics");
            page.Status.ShouldBe(HttpStatusCode.OK);
            page.Html.ShouldContain("role=\"alert\"");
            page.Html.ShouldContain("mt_doc_accounthealth");
        }
        finally
        {
            // The other specs read the health too: they get their table back.
            await rebuild.RunAsync();
        }
    }
}
