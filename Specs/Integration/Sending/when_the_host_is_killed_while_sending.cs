using System.Globalization;
using System.Net;
using Marten;
using MailKit;
using MailKit.Search;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Sending;

/// <summary>
/// A real second host process, WebHost's own build, over this product's PostgreSQL and mail servers: killed with
/// SIGKILL in the middle of sending a hundred messages, then started again. Stops Postfix while the messages are
/// queued, hence a product of its own, and runs alone (see <see cref="AloneCollection"/>).
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class when_the_host_is_killed_while_sending(ProductFixture product)
{
    private const int Messages = 100;

    [Fact]
    public async Task every_message_arrives_and_only_one_in_flight_at_the_kill_may_arrive_twice_with_the_same_message_id()
    {
        var sender = await product.NewMailboxAsync();
        var recipient = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var account = await product.AccountSendingAsAsync(user, sender, "Busy host");
        var port = HostProcess.FreePort();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var store = product.Services.GetRequiredService<IDocumentStore>();

        var host = await StartHostAsync(port);
        try
        {
            using var session = new UserSession(new Uri($"http://127.0.0.1:{port}"));
            await session.SignInAsync(user.Login, user.Password);

            // Queued while the SMTP server is down, so that all hundred wait; then it comes back and they go.
            await product.MailServer.StopPostfixAsync();
            var ids = new List<Guid>();
            try
            {
                for (var n = 0; n < Messages; n++)
                {
                    var form = Form.Of((await session.GetAsync($"/Email/Compose?account={account}")).Html, "form.compose");
                    form["Input.To"] = recipient.Address;
                    form["Input.Subject"] = $"Batch {tag} #{n:D3}";
                    (await session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
                    ids.Add(Composing.MailIdOf(form));
                }
            }
            finally
            {
                await product.MailServer.StartPostfixAsync();
            }

            // In the middle of sending: some are recorded as sent, most are not.
            await HostProcess.WaitAsync(async () => await SentCountAsync(store, ids) >= 10, "ten messages to be sent", 60);
            await host.KillAsync();
            var sentBeforeKill = await SentCountAsync(store, ids);
            sentBeforeKill.ShouldBeLessThan(Messages, "the host was killed after it had sent everything; the spec proves nothing");
            HashSet<Guid> inFlight;
            await using (var query = store.QuerySession())
            {
                inFlight = (await query.LoadManyAsync<OutgoingMail>(ids)).Where(m => m.Sending).Select(m => m.Id).ToHashSet();
            }

            await host.DisposeAsync();
            host = await StartHostAsync(port);
            await HostProcess.WaitAsync(async () => await SentCountAsync(store, ids) == Messages, "every message to be sent after the restart", 240);

            using var client = await product.SignInAsync(recipient);
            var arrived = new List<(string Subject, string MessageId)>();
            await HostProcess.WaitAsync(async () =>
            {
                await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
                var found = await client.Inbox.SearchAsync(SearchQuery.SubjectContains($"Batch {tag}"));
                var summaries = await client.Inbox.FetchAsync(found, MessageSummaryItems.Envelope);
                arrived = summaries.Select(s => (s.Envelope!.Subject ?? "", s.Envelope.MessageId ?? "")).ToList();
                await client.Inbox.CloseAsync();
                return arrived.Select(a => a.Subject).Distinct().Count() == Messages;
            }, "every message to arrive", 60);

            foreach (var twice in arrived.GroupBy(a => a.Subject).Where(g => g.Count() > 1))
            {
                var number = int.Parse(twice.Key[^3..], CultureInfo.InvariantCulture);
                inFlight.ShouldContain(ids[number], $"{twice.Key} arrived {twice.Count()} times but was not in flight at the kill");
                twice.Select(a => a.MessageId).Distinct().ShouldHaveSingleItem();
            }
        }
        finally
        {
            await host.DisposeAsync();
            if (Directory.Exists(HostProcess.DataFolder(port)))
            {
                Directory.Delete(HostProcess.DataFolder(port), recursive: true);
            }
        }
    }

    private static async Task<int> SentCountAsync(IDocumentStore store, IReadOnlyCollection<Guid> ids)
    {
        await using var session = store.QuerySession();
        return (await session.LoadManyAsync<SentMail>(ids)).Count;
    }

    /// <summary>Retries three seconds apart, and enough of them to outlast the time the SMTP server is down.</summary>
    private Task<HostProcess> StartHostAsync(int port)
    {
        var settings = product.HostSettings().Keys.Where(k => k.StartsWith("Mail:SendRetryDelays:", StringComparison.Ordinal))
            .ToDictionary(k => k, _ => "00:00:03");
        for (var retry = settings.Count; retry < 20; retry++)
        {
            settings[$"Mail:SendRetryDelays:{retry}"] = "00:00:03";
        }

        return HostProcess.StartAsync(product, port, settings);
    }
}
