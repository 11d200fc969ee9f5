using Marten;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Storage;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MailAccounts.Specs.Integration.Import;

/// <summary>
/// The imported mail list and the quarantine are projections of their events: Check consistency finds a tampered
/// letter, and Rebuild brings the list back from the events alone, deleted letters staying deleted.
/// </summary>
[Collection(ImportCollection.Name)]
public sealed class when_imported_mail_is_rebuilt_from_its_events(ProductFixture product)
{
    private IDocumentStore Store => product.Services.GetRequiredService<IDocumentStore>();

    [Fact]
    public async Task the_check_finds_a_tampered_letter_and_a_rebuild_restores_the_list_as_it_was()
    {
        using var account = await product.ImportingAccountAsync();
        await product.AppendAsync(account.Mailbox, "INBOX", [Importing.Message("Kept"), Importing.Message("Deleted later")]);
        await product.WriteRawAsync(account.Mailbox, "INBOX", [Importing.Ascii("\r\nno header\r\n")]);
        await product.ImportAsync(account.AccountId);
        var deleted = (await product.LettersAsync(account.AccountId)).Single(l => l.Headers.Subject == "Deleted later");
        await using (var scope = product.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<Commands>().InvokeAsync(new DeleteLetter(account.Actor, deleted.Id), CancellationToken.None))
                .Succeeded.ShouldBeTrue();
        }

        var serializer = Store.Options.Serializer();
        var letters = (await product.LettersAsync(account.AccountId)).OrderBy(l => l.Id).Select(l => serializer.ToJson(l)).ToArray();
        var quarantined = (await product.QuarantinedAsync(account.AccountId)).ShouldHaveSingleItem();
        (await ConsistencyCheck.RunAsync(Store, null, CancellationToken.None)).Where(d => d.View is "Imported mail" or "Could not import").ShouldBeEmpty();

        await ExecuteAsync($"update {StorageConfiguration.Schema}.mt_doc_letter set data = jsonb_set(data, '{{Deleted}}', 'false') where id = '{deleted.Id}'");
        var found = (await ConsistencyCheck.RunAsync(Store, null, CancellationToken.None)).Where(d => d.View == "Imported mail").ShouldHaveSingleItem();
        found.StreamId.ShouldBe(deleted.Id);

        await ExecuteAsync($"delete from {StorageConfiguration.Schema}.mt_doc_letter");
        await ExecuteAsync($"delete from {StorageConfiguration.Schema}.mt_doc_quarantinedmessage");
        var rebuild = product.Services.GetRequiredService<ProjectionRebuild>();
        await rebuild.RunAsync();
        rebuild.Progress.Error.ShouldBeNull();

        (await product.LettersAsync(account.AccountId)).OrderBy(l => l.Id).Select(l => serializer.ToJson(l)).ShouldBe(letters);
        (await product.QuarantinedAsync(account.AccountId)).ShouldHaveSingleItem().ShouldBe(quarantined);
        await using var session = Store.QuerySession();
        (await ImportedMail.PageAsync(session, account.Actor, 1, 50, CancellationToken.None)).Letters.ShouldHaveSingleItem().Headers.Subject.ShouldBe("Kept");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(product.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
