using System.Diagnostics;
using System.Net;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.Infrastructure.Storage;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace MailAccounts.Specs.Integration.Diagnostics;

/// <summary>Its own product: these specs damage projected tables on purpose.</summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_replaying_events_for_diagnostics(ProductFixture product, ITestOutputHelper output)
{
    private IDocumentStore Store => product.Services.GetRequiredService<IDocumentStore>();

    private async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(product.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<Dictionary<Guid, string>> StoredAccountsAsync()
    {
        await using var session = Store.QuerySession();
        var serializer = Store.Options.Serializer();
        return (await session.Query<Account>().ToListAsync()).ToDictionary(a => a.Id, a => serializer.ToJson(a));
    }

    private async Task<Guid> AccountWithHistoryAsync(TestUser user, string title)
    {
        var mailbox = await product.NewMailboxAsync();
        var account = await product.AccountSendingAsAsync(user, mailbox, title);
        await user.Session.SubmitAsync("/Email/Settings/Accounts", [], "CheckMail");
        return account;
    }

    [Fact]
    public async Task the_consistency_check_names_the_stream_of_a_tampered_document_on_the_page_and_on_the_command_line()
    {
        using var user = await product.NewUserAsync();
        var account = await AccountWithHistoryAsync(user, "Tampered " + Guid.NewGuid().ToString("N")[..6]);
        (await ConsistencyCheck.RunAsync(Store, null, CancellationToken.None)).ShouldBeEmpty();

        (await ExecuteAsync($"update {StorageConfiguration.Schema}.mt_doc_account set data = jsonb_set(data, '{{Title}}', '\"Forged\"') where id = '{account}'")).ShouldBe(1);

        var found = (await ConsistencyCheck.RunAsync(Store, null, CancellationToken.None)).ShouldHaveSingleItem();
        found.StreamId.ShouldBe(account);
        found.View.ShouldBe("Accounts");
        found.FirstDivergingVersion.ShouldBe(1);
        found.Stored.ShouldContain("Forged");

        using var admin = await product.AdministratorAsync();
        var page = await admin.SubmitAsync("/Admin/Diagnostics", [], "Check");
        page.Dom.Has($"#check-result tr[data-stream=\"{account}\"]").ShouldBeTrue();

        var (exitCode, output) = await RunHostVerbAsync("projections-check");
        exitCode.ShouldNotBe(0);
        output.ShouldContain(account.ToString());

        // A rebuild repairs it.
        (await RunHostVerbAsync("projections", "rebuild")).ExitCode.ShouldBe(0);
        (await ConsistencyCheck.RunAsync(Store, null, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_rebuild_from_the_diagnostics_page_after_the_table_was_dropped_restores_it_identically()
    {
        using var user = await product.NewUserAsync();
        var account = await AccountWithHistoryAsync(user, "Rebuilt " + Guid.NewGuid().ToString("N")[..6]);
        var before = await StoredAccountsAsync();
        before.ShouldNotBeEmpty();
        // The last step writes imported mail's search rows again from the rebuilt letters.
        var letter = await product.ImportLetterAsync(account, ImportedLetters.Message("Rebuilt search row"));
        await ExecuteAsync($"update {MailAccounts.Infrastructure.Import.Configuration.TextTable} set document = null where letter_id = '{letter}'");

        await ExecuteAsync($"drop table {StorageConfiguration.Schema}.mt_doc_account cascade");
        using var admin = await product.AdministratorAsync();
        var rebuild = product.Services.GetRequiredService<ProjectionRebuild>();
        var mark = product.Logs.Mark;
        try
        {
            try
            {
                (await admin.SubmitAsync("/Admin/Diagnostics", [], "Rebuild")).Status.ShouldBe(HttpStatusCode.Redirect);
                await rebuild.WhenDoneAsync();
            }
            catch
            {
                // The other specs of this product read the accounts too: whatever failed here, they get their table back.
                await rebuild.RunAsync();
                throw;
            }

            var progress = await admin.GetAsync("/Admin/Diagnostics");
            var status = progress.Dom.One("#rebuild-progress");
            status.GetAttribute("data-state").ShouldBe("rebuilt", customMessage: status.TextContent);
            (await StoredAccountsAsync()).ShouldBe(before, ignoreOrder: true);
            (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.Text("#accounts").ShouldContain("Rebuilt ");
            (await MailAccounts.Infrastructure.Search.SearchIndex.MissingAsync(Store, CancellationToken.None)).ShouldBe(0);
        }
        catch
        {
            output.WriteLine(product.Logs.WarningsSince(mark));
            throw;
        }
    }

    [Fact]
    public async Task account_health_tells_the_last_success_the_failures_and_what_was_sent_from_the_events()
    {
        using var user = await product.NewUserAsync();
        var sender = await product.NewMailboxAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Healthy " + Guid.NewGuid().ToString("N")[..6]);
        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        await product.ForgetMarkAsync(product.Misbehaving.RefusedRecipient);
        form["Input.To"] = product.Misbehaving.RefusedRecipient;
        form["Input.Subject"] = "Refused";
        await user.Session.PostAsync(form);
        await product.WaitForOutgoingAsync(Composing.MailIdOf(form), m => m?.Status == Infrastructure.Sending.OutgoingMailStatus.NotSent);

        await using var session = Store.QuerySession();
        var health = await session.LoadAsync<AccountHealth>(account);
        health!.NotSent.ShouldBe(1);
        health.LastErrorStage.ShouldBe("Sending");
        health.LastError!.ShouldContain("550");
        health.FailingSince.ShouldNotBeNull();

        using var admin = await product.AdministratorAsync();
        var page = (await admin.GetAsync("/Admin/Diagnostics")).Dom;
        page.One($"tr[data-account=\"{account}\"]").GetAttribute("data-failing").ShouldBe("true");
    }

    /// <summary>Runs the host's own command line against the specs' database, as an operator would.</summary>
    private async Task<(int ExitCode, string Output)> RunHostVerbAsync(params string[] verb)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = HostProcess.BuiltHostFolder };
        start.ArgumentList.Add(HostProcess.BuiltHost);
        foreach (var part in verb)
        {
            start.ArgumentList.Add(part);
        }

        start.Environment["ConnectionStrings__Marten"] = product.Postgres.ConnectionString;
        start.Environment["MailAccounts__DataFolder"] = Path.Combine(Path.GetTempPath(), "mailaccounts-verb-" + Guid.NewGuid().ToString("N")[..8]);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        return (process.ExitCode, await output + await error);
    }
}
