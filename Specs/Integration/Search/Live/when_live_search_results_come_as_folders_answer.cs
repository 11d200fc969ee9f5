using System.Globalization;
using System.Net;
using System.Diagnostics;
using System.Text.Json;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using MailAccounts.Infrastructure.Search;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Search.Live;

/// <summary>
/// The live search's stream (<c>/Email?handler=Stream</c> with the search's own query), on the real host: over two
/// accounts, one of them a server that never speaks, the answering account's rows come first and the silent one's
/// timed-out note after them, and the last event has the total and the pager the page has when rendered at once
/// (which still is what a browser without the script gets). The stream checks what the page checks.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_live_search_results_come_as_folders_answer(ProductFixture product)
{
    private sealed record Event(string Name, JsonElement Data);

    private static async Task<List<Event>> ReadToTheEndAsync(UserSession session, string path)
    {
        using var response = await session.OpenStreamAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<Event>();
        string? name = null;
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(new Event(name!, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
        }

        return events;
    }

    private static IEnumerable<string> Problems(Event e) => e.Data.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!);

    /// <summary>
    /// A user with a Dovecot account of twelve invoices (page size 10), two of them in Sent, so that the first page is
    /// a merge of two folders; and an account on the silent server.
    /// </summary>
    private async Task<(ImportingAccount Owner, string Silent)> TwoAccountsAsync()
    {
        var owner = await product.ImportingAccountAsync(on: false);
        var day = DateTimeOffset.UtcNow.AddDays(-2);
        for (var i = 1; i <= 12; i++)
        {
            await product.AppendAsync(owner.Mailbox, i is 5 or 11 ? "Sent" : "INBOX", [Importing.Message($"Invoice {i:00}")], MessageFlags.None, day.AddMinutes(i));
        }

        await product.AppendAsync(owner.Mailbox, "INBOX", [Importing.Message("Lunch")], MessageFlags.None, day.AddHours(1));
        var silent = "Silent " + Guid.NewGuid().ToString("N")[..6];
        (await owner.User.Session.SubmitAsync(AccountForms.AddPage, AccountForms.Valid(silent, "silent@specs.test")
            .With("Input.Host", product.MailServer.Endpoints.Host)
            .With("Input.Port", product.Misbehaving.SilentPort.ToString(CultureInfo.InvariantCulture)))).Status.ShouldBe(HttpStatusCode.Redirect);
        var settings = Form.Of((await owner.User.Session.GetAsync("/Email/Settings/General")).Html, "#general-settings", "/Email/Settings/General");
        settings["Input.PageSize"] = "10";
        (await owner.User.Session.PostAsync(settings)).Status.ShouldBe(HttpStatusCode.Redirect);
        return (owner, silent);
    }

    [Fact]
    public async Task the_answering_accounts_rows_come_before_the_silent_ones_note_and_the_end_has_the_total_and_the_pager()
    {
        var (owner, silent) = await TwoAccountsAsync();
        using var _ = owner;
        var search = $"/Email?account={owner.AccountId}&folder=INBOX&q=subject%3Ainvoice&scope=all";

        var events = await ReadToTheEndAsync(owner.User.Session, search + "&handler=Stream");

        events.Select(e => e.Name).Distinct().ShouldBe(["progress", "done"]);
        events[^1].Name.ShouldBe("done");
        var rows = events.FindIndex(e => e.Name == "progress" && e.Data.GetProperty("rows").GetString()?.Contains("Invoice 12", StringComparison.Ordinal) == true);
        var note = product.Word("Search.FolderTimedOut").Replace("{0}", ProductFixture.SearchFolderSeconds.ToString(CultureInfo.InvariantCulture));
        var timedOut = events.FindIndex(e => Problems(e).Contains($"{silent}: {note}"));
        rows.ShouldBeGreaterThanOrEqualTo(0);
        timedOut.ShouldBeGreaterThan(rows);
        // While the silent server keeps its folders to itself, the status says what is still being searched, and the
        // rows so far are both folders' newest ten, merged.
        var waiting = events[timedOut - 1].Data;
        waiting.GetProperty("answered").GetInt32().ShouldBeLessThan(waiting.GetProperty("folders").GetInt32());
        waiting.GetProperty("status").GetString().ShouldBe(string.Format(
            CultureInfo.InvariantCulture, product.Word("Search.Searching.Many"), waiting.GetProperty("folders").GetInt32(), waiting.GetProperty("answered").GetInt32()));
        var latest = Dom.Parse($"<table><tbody>{events.Take(timedOut).Last(e => e.Data.GetProperty("rows").GetString() is not null).Data.GetProperty("rows").GetString()}</tbody></table>");
        latest.Texts("tr[data-message] [data-subject]").ShouldBe([.. Enumerable.Range(3, 10).Reverse().Select(i => $"Invoice {i:00}")]);
        latest.Texts("tr[data-message] [data-folder-title]").ShouldBe(["Inbox", "Sent", "Inbox", "Inbox", "Inbox", "Inbox", "Inbox", "Sent", "Inbox", "Inbox"]);

        var done = events[^1].Data;
        done.GetProperty("total").GetInt32().ShouldBe(12);
        done.GetProperty("status").GetString().ShouldBe(product.Word("Search.Found").Replace("{0}", "12"));
        var list = Dom.Parse(done.GetProperty("list").GetString()!);
        list.Texts("#messages tr[data-message] [data-subject]").ShouldBe([.. Enumerable.Range(3, 10).Reverse().Select(i => $"Invoice {i:00}")]);
        list.Texts("nav.pager strong[aria-current=page], nav.pager a:not([rel])").ShouldBe(["1", "2"]);
        var next = list.One("nav.pager a[rel=next]").GetAttribute("href")!;
        next.ShouldEndWith("&scope=all&p=2");
        events.SelectMany(Problems).ShouldBe([$"{silent}: {note}"]);

        // The page rendered at once (a browser without the script) shows the same list and pager; Next the rest.
        var page = await owner.User.Session.GetAsync(search);
        page.Subjects().ShouldBe(list.Texts("#messages tr[data-message] [data-subject]"));
        page.Dom.One("nav.pager a[rel=next]").GetAttribute("href").ShouldBe(next);
        page.Dom.Text("[data-not-searched] li").ShouldBe($"{silent}: {note}");
        (await owner.User.Session.GetAsync(System.Net.WebUtility.HtmlDecode(next))).Subjects().ShouldBe(["Invoice 02", "Invoice 01"]);
    }

    [Fact]
    public async Task the_stream_checks_the_account_and_the_query_as_the_page_does()
    {
        var owner = await product.ImportingAccountAsync(on: false);
        using var _ = owner;
        var stranger = await product.ImportingAccountAsync(on: false);
        using var __ = stranger;
        string Stream(Guid account, string query) => $"/Email?handler=Stream&account={account}&folder=INBOX&{query}";

        using (var others = await owner.User.Session.OpenStreamAsync(Stream(stranger.AccountId, "q=invoice&scope=all")))
        {
            others.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        // What the page says or renders at once is not streamed: an invalid query, one folder, a later page.
        foreach (var query in new[] { "q=" + Uri.EscapeDataString("is:sleeping"), "q=invoice&scope=folder", "q=invoice&scope=all&p=2", "scope=all" })
        {
            using var refused = await owner.User.Session.OpenStreamAsync(Stream(owner.AccountId, query));
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, query);
        }

        using var anonymous = product.NewSession();
        using var signedOut = await anonymous.OpenStreamAsync(Stream(owner.AccountId, "q=invoice&scope=all"));
        signedOut.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_reader_that_leaves_stops_the_folders_still_searched()
    {
        var owner = await product.ImportingAccountAsync(on: false);
        using var _ = owner;
        await product.AppendAsync(owner.Mailbox, "INBOX", [Importing.Message("Found invoice")]);
        var account = (await product.AccountsOfAsync(owner.UserId)).Single(a => a.Id == owner.AccountId);
        var silent = new Account(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AccountKind.Individual, "Silent", "Silent", "silent@specs.test",
            new IncomingSettings(IncomingProtocol.Imap, "127.0.0.1", product.Misbehaving.SilentPort, TransportSecurity.SslOnConnect, "silent@specs.test", Guid.CreateVersion7()),
            null, Account.DefaultFolders, null, null, [], false);
        // A time limit far beyond the spec's patience: only the reader leaving can end the silent folder's wait.
        var search = new LiveSearch(product.Services.GetRequiredService<MailSessions>(), product.Services.GetRequiredService<MailOptions>())
        {
            FolderTimeLimit = TimeSpan.FromMinutes(5),
        };
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var clock = Stopwatch.StartNew();

        await foreach (var progress in search.SearchAsTheyAnswerAsync(session, [new LiveTarget(account, "INBOX"), new LiveTarget(silent, "INBOX")],
            QueryWords.Parse("invoice").Criteria!, 1, 50, CancellationToken.None))
        {
            progress.Rows.Select(r => r.Row.Subject).ShouldBe(["Found invoice"]);
            progress.Answered.ShouldBe(1);
            break;
        }

        // The silent server's connection timeout would end it at 3 s; leaving ended it well before that.
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(ProductFixture.TimeoutSeconds));
    }
}
