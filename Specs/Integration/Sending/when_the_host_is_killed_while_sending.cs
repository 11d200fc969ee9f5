using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
        var port = FreePort();
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
            await WaitAsync(async () => await SentCountAsync(store, ids) >= 10, "ten messages to be sent", 60);
            host.Kill();
            await host.WaitForExitAsync();
            var sentBeforeKill = await SentCountAsync(store, ids);
            sentBeforeKill.ShouldBeLessThan(Messages, "the host was killed after it had sent everything; the spec proves nothing");
            HashSet<Guid> inFlight;
            await using (var query = store.QuerySession())
            {
                inFlight = (await query.LoadManyAsync<OutgoingMail>(ids)).Where(m => m.Sending).Select(m => m.Id).ToHashSet();
            }

            host.Dispose();
            host = await StartHostAsync(port);
            await WaitAsync(async () => await SentCountAsync(store, ids) == Messages, "every message to be sent after the restart", 240);

            using var client = await product.SignInAsync(recipient);
            var arrived = new List<(string Subject, string MessageId)>();
            await WaitAsync(async () =>
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
            await StopAsync(host);
            if (Directory.Exists(DataFolder(port)))
            {
                Directory.Delete(DataFolder(port), recursive: true);
            }
        }
    }

    private static string DataFolder(int port) => Path.Combine(Path.GetTempPath(), "mailaccounts-killed-host-" + port);

    private static async Task<int> SentCountAsync(IDocumentStore store, IReadOnlyCollection<Guid> ids)
    {
        await using var session = store.QuerySession();
        return (await session.LoadManyAsync<SentMail>(ids)).Count;
    }

    private async Task<Process> StartHostAsync(int port)
    {
        var folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "WebHost", "bin", "Release", "net10.0"));
        var start = new ProcessStartInfo("dotnet", Path.Combine(folder, "MailAccounts.WebHost.dll"))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The fixture's settings (database, mail server, key ring, limits), with a port and data folder of its own.
        var settings = product.HostSettings();
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        settings["MailAccounts:DataFolder"] = DataFolder(port);
        // Retries three seconds apart, and enough of them to outlast the time the SMTP server is down.
        foreach (var retry in settings.Keys.Where(k => k.StartsWith("Mail:SendRetryDelays:", StringComparison.Ordinal)).ToList())
        {
            settings.Remove(retry);
        }

        for (var retry = 0; retry < 20; retry++)
        {
            settings[$"Mail:SendRetryDelays:{retry}"] = "00:00:03";
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("The second host exited: " + output);
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/SignIn")).IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill();
        throw new TimeoutException("The second host did not answer within 60 seconds: " + output);
    }

    /// <summary>SIGTERM first, as a service manager stops a host; SIGKILL if it does not stop in time. Never left running.</summary>
    private static async Task StopAsync(Process host)
    {
        bool exited;
        try
        {
            exited = host.HasExited;
        }
        catch (InvalidOperationException)
        {
            // Disposed already: the kill in the middle of the spec.
            return;
        }

        if (!exited)
        {
            using (var term = Process.Start("kill", ["-TERM", host.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await host.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                host.Kill();
            }
        }

        host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, int seconds)
    {
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Waited {seconds} seconds for {what}.");
    }
}
