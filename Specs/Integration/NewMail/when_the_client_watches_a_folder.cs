using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Shouldly;

namespace MailAccounts.Specs.Integration.NewMail;

/// <summary>
/// The new-mail stream of the client page (/Email/Events): one watcher (one IMAP IDLE connection) for the tabs of a
/// user's folder, the events it sends when mail comes, and no connection left once the last tab goes.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_the_client_watches_a_folder(ProductFixture product)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task a_second_tab_shares_the_watcher_and_the_last_to_leave_stops_it()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Watched box"));
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountId("Watched box");
        var watchers = product.Services.GetRequiredService<FolderWatchers>();
        // Whatever adding the account left connected (pooled connections) goes, so that Dovecot's count is the watcher's.
        if (await product.MailServer.SessionCountAsync(mailbox.Address) > 0)
        {
            await product.MailServer.DisconnectSessionsAsync(mailbox.Address);
        }

        using var first = await EventStream.OpenAsync(user.Session, $"/Email/Events?account={account}&folder=INBOX");
        await first.NextAsync("ready");
        await Until(() => Task.FromResult(watchers.IsWatching(account, "INBOX")), "the first tab's watcher watches INBOX");
        using var second = await EventStream.OpenAsync(user.Session, $"/Email/Events?account={account}&folder=INBOX");
        await second.NextAsync("ready");

        watchers.ListenersOf(account, "INBOX").ShouldBe(2);
        (await product.MailServer.SessionCountAsync(mailbox.Address)).ShouldBe(1, "two tabs, one IDLE connection");

        var message = new MimeMessage { Subject = "Arrives while watched" };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Body = new TextPart("plain") { Text = "Hello" };
        await product.DeliverAsync(mailbox, [message]);
        await first.NextAsync("new-messages");
        await second.NextAsync("new-messages");

        first.Dispose();
        await Until(() => Task.FromResult(watchers.ListenersOf(account, "INBOX") == 1), "the first tab left");
        (await product.MailServer.SessionCountAsync(mailbox.Address)).ShouldBe(1, "the second tab still watches");

        second.Dispose();
        await Until(() => Task.FromResult(watchers.ListenersOf(account, "INBOX") == 0), "the last tab left");
        await Until(async () => await product.MailServer.SessionCountAsync(mailbox.Address) == 0, "Dovecot has no session of the mailbox left");
    }

    [Fact]
    public async Task a_user_watches_only_so_many_folders_at_once_and_a_folder_let_go_frees_its_place()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Many folders"));
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountId("Many folders");
        var watchers = product.Services.GetRequiredService<FolderWatchers>();
        var limit = product.Services.GetRequiredService<MailOptions>().WatchersPerUser;
        // The private Dovecot makes these five for every mailbox.
        string[] folders = ["INBOX", "Sent", "Drafts", "Trash", "Junk"];
        limit.ShouldBeLessThan(folders.Length, "the spec needs more folders than a user may watch");

        var open = new List<EventStream>();
        try
        {
            foreach (var folder in folders[..limit])
            {
                var stream = await EventStream.OpenAsync(user.Session, $"/Email/Events?account={account}&folder={folder}");
                open.Add(stream);
                await stream.NextAsync("ready");
            }

            var beyond = $"/Email/Events?account={account}&folder={folders[limit]}";
            using (var refused = await user.Session.OpenStreamAsync(beyond))
            {
                refused.StatusCode.ShouldBe(System.Net.HttpStatusCode.TooManyRequests, "one folder more than a user may watch");
            }

            // Another tab of a folder already watched shares its watcher: no place is taken.
            using (var sameFolder = await EventStream.OpenAsync(user.Session, $"/Email/Events?account={account}&folder={folders[0]}"))
            {
                await sameFolder.NextAsync("ready");
                watchers.ListenersOf(account, folders[0]).ShouldBe(2);
            }

            open[^1].Dispose();
            var letGo = folders[limit - 1];
            await Until(() => Task.FromResult(watchers.ListenersOf(account, letGo) == 0), $"the tab of {letGo} left");
            var freed = await EventStream.OpenAsync(user.Session, beyond);
            open[^1] = freed;
            await freed.NextAsync("ready");
            await Until(() => Task.FromResult(watchers.IsWatching(account, folders[limit])), $"{folders[limit]} is watched in the freed place");
        }
        finally
        {
            open.ForEach(stream => stream.Dispose());
        }
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Not within {Deadline.TotalSeconds} s: {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>One tab's server-sent event stream, read event by event.</summary>
    private sealed class EventStream : IDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly StreamReader _reader;
        private readonly CancellationTokenSource _closed = new();

        private EventStream(HttpResponseMessage response, StreamReader reader) => (_response, _reader) = (response, reader);

        public static async Task<EventStream> OpenAsync(UserSession session, string path)
        {
            var response = await session.OpenStreamAsync(path);
            response.EnsureSuccessStatusCode();
            response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
            return new EventStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
        }

        /// <summary>Reads on until an event of this type comes (keep-alive pings and other events are passed over).</summary>
        public async Task NextAsync(string type)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token);
            deadline.CancelAfter(Deadline);
            while (await _reader.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line == "event: " + type)
                {
                    return;
                }
            }

            throw new InvalidOperationException($"The stream ended before a {type} event.");
        }

        public void Dispose()
        {
            _closed.Cancel();
            _reader.Dispose();
            _response.Dispose();
        }
    }
}
