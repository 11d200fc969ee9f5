using System.Net;
using MailAccounts.Infrastructure.Storage;
using MailAccounts.Specs.Support;
using Npgsql;

namespace MailAccounts.Specs.Integration.Sending;

/// <summary>
/// The Outbox lists drafts without reading their attachments (security review, finding 7): it used to deserialise
/// every document whole, so a user with many large drafts made each visit load all of them into memory.
/// </summary>
[Collection(SendingCollection.Name)]
public sealed class when_the_outbox_is_listed(ProductFixture product)
{
    [Fact]
    public async Task it_reads_only_the_lists_fields_never_an_attachment()
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, mailbox, "Outbox");
        var form = Form.Of((await user.Session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
        form["Input.To"] = "boris@specs.test";
        form["Input.Subject"] = "Draft with a file";
        (await user.Session.PostAsync(form, "Save", [("Files", "figures.csv", "text/csv", new byte[5000])])).Status.ShouldBe(HttpStatusCode.Redirect);
        var mailId = Composing.MailIdOf(form);

        // The stored attachment becomes something that cannot be read back: a page that deserialised it would fail.
        await using (var connection = new NpgsqlConnection(product.Postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var spoil = new NpgsqlCommand(
                $"update {StorageConfiguration.Schema}.mt_doc_outgoingmail set data = jsonb_set(data, '{{Attachments,0,Content}}', '\"*not base64*\"') where id = @id",
                connection);
            spoil.Parameters.AddWithValue("id", mailId);
            (await spoil.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var outbox = await user.Session.GetAsync("/Email/Outbox");

        outbox.Status.ShouldBe(HttpStatusCode.OK);
        var row = outbox.Dom.One($"tr[data-mail=\"{mailId}\"]");
        row.QuerySelector("[data-subject]")!.TextContent.ShouldContain("Draft with a file");
        row.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ShouldContain($"/Email/Compose?draft={mailId}");
    }
}
