using System.Net;
using MailKit;
using MailAccounts.Specs.Support;
using MimeKit;

namespace MailAccounts.Specs.Integration.Client;

[Collection(MailboxCollection.Name)]
public sealed class when_reading_mail_on_the_server(ProductFixture product)
{
    private async Task<(TestUser User, Mailbox Mailbox, string AccountId)> AccountWithMailAsync(params MimeMessage[] messages)
    {
        var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Reading"))).Status.ShouldBe(HttpStatusCode.Redirect);
        using (var client = await product.SignInAsync(mailbox))
        {
            foreach (var message in messages)
            {
                await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
            }
        }

        var accountId = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single();
        return (user, mailbox, accountId);
    }

    private static MimeMessage Message(string subject, int daysAgo, string? html = null, string text = "Hello")
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow.AddDays(-daysAgo) };
        message.From.Add(new MailboxAddress("Boris <Petrov>", "boris@specs.test"));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        message.Body = body.ToMessageBody();
        return message;
    }

    // The frame's document is what the sanitiser let through: there the markup itself is the behaviour.
    private static string FrameOf(Page page) => page.Dom.One("iframe[data-message-body]").GetAttribute("srcdoc") ?? "";

    [Fact]
    public async Task the_list_shows_one_page_newest_first_with_the_users_page_size()
    {
        var (user, _, account) = await AccountWithMailAsync(Enumerable.Range(1, 12).Select(i => Message($"Message {i:00}", daysAgo: i)).ToArray());
        using var _ = user;
        await user.Session.SubmitAsync("/Email/Settings/General", new()
        {
            ["Input.CheckIntervalMinutes"] = "0", ["Input.Charset"] = "utf-8", ["Input.PageSize"] = "10",
        });

        var first = await user.Session.GetAsync($"/Email?account={account}");
        first.Subjects().ShouldBe(Enumerable.Range(1, 10).Select(i => $"Message {i:00}"));
        // The sender's name arrives as text: were it written unencoded, "<Petrov>" would become an element and leave the text.
        first.Dom.Texts("#messages [data-from]").ShouldAllBe(from => from.Contains("Boris <Petrov>"));
        first.Dom.Text("[data-folder=\"INBOX\"] [data-unread]").ShouldBe("12");

        var second = await user.Session.GetAsync($"/Email?account={account}&folder=INBOX&p=2");
        second.Subjects().ShouldBe(["Message 11", "Message 12"]);
    }

    [Fact]
    public async Task opening_a_message_does_not_mark_it_read_on_the_server()
    {
        var (user, mailbox, account) = await AccountWithMailAsync(Message("Unread stays unread", 1));
        using var _ = user;

        var page = await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1");

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Dom.Text("[data-subject]").ShouldBe("Unread stays unread");
        using var client = await product.SignInAsync(mailbox);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var flags = await client.Inbox.FetchAsync([new UniqueId(1)], MessageSummaryItems.Flags);
        flags.Single().Flags!.Value.HasFlag(MessageFlags.Seen).ShouldBeFalse();
    }

    [Fact]
    public async Task hostile_html_is_defused_and_remote_images_wait_for_show_images()
    {
        const string hostile = """
            <p>Hi</p><script>alert(1)</script><img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click</a>
            <img src="https://tracker.example.com/pixel.gif"><svg><animate onbegin="alert(4)"/></svg>
            <form action="https://evil.example.com"><input name="password"></form><a href="https://example.com/read">Read more</a>
            """;
        var (user, _, account) = await AccountWithMailAsync(Message("Hostile", 1, html: hostile));
        using var _ = user;

        var page = await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1");
        var frame = FrameOf(page);

        frame.ShouldContain("<p>Hi</p>");
        foreach (var danger in new[] { "<script", "onerror", "javascript:", "<svg", "onbegin", "<form", "<input", "tracker.example.com" })
        {
            frame.ShouldNotContain(danger, Case.Insensitive);
        }

        frame.ShouldContain("https://example.com/read");
        page.Dom.Has("#remote-blocked").ShouldBeTrue();
        page.Dom.One("iframe[data-message-body]").GetAttribute("sandbox").ShouldBe("allow-popups allow-popups-to-escape-sandbox");

        var shown = FrameOf(await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1&images=true"));
        shown.ShouldContain("https://tracker.example.com/pixel.gif");
        shown.ShouldNotContain("<script", Case.Insensitive);
    }

    [Fact]
    public async Task plain_text_is_encoded_and_its_links_are_clickable()
    {
        var (user, _, account) = await AccountWithMailAsync(Message("Plain", 1, text: "See <b>this</b>: https://example.com/x"));
        using var _ = user;

        var frame = FrameOf(await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1"));

        frame.ShouldContain("See &lt;b&gt;this&lt;/b&gt;");
        frame.ShouldContain("<a href=\"https://example.com/x\"");
    }

    [Fact]
    public async Task an_attachment_downloads_and_is_never_shown_inline()
    {
        var message = Message("With attachment", 1);
        var body = new BodyBuilder { TextBody = "See attached." };
        body.Attachments.Add("page.html", "<script>alert(1)</script>"u8.ToArray(), new ContentType("text", "html"));
        message.Body = body.ToMessageBody();
        var (user, _, account) = await AccountWithMailAsync(message);
        using var _ = user;

        var view = await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1");
        view.Dom.Texts("[data-attachment] a").ShouldBe(["page.html"]);
        var download = await user.Session.GetResponseAsync($"/Email/Message?handler=Attachment&account={account}&folder=INBOX&uid=1&index=0");

        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/octet-stream");
        download.Headers.GetValues("X-Content-Type-Options").ShouldContain("nosniff");
        (await download.Content.ReadAsStringAsync()).ShouldBe("<script>alert(1)</script>");
    }

    [Fact]
    public async Task another_users_mail_answers_404()
    {
        var (owner, _, account) = await AccountWithMailAsync(Message("Private", 1));
        using var _ = owner;
        using var stranger = await product.NewUserAsync();

        (await stranger.Session.GetAsync($"/Email?account={account}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.GetAsync($"/Email/Message?handler=Attachment&account={account}&folder=INBOX&uid=1&index=0")).Status
            .ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_password_changed_on_the_server_shows_the_servers_words_in_the_page()
    {
        var (user, mailbox, account) = await AccountWithMailAsync(Message("Any", 1));
        using var _ = user;
        await product.MailServer.SetMailboxAsync(mailbox.Address, "changed-" + Guid.NewGuid().ToString("N"));

        var page = await user.Session.GetAsync($"/Email?account={account}");

        page.Status.ShouldBe(HttpStatusCode.OK);
        // The alert names the stage at which the server refused.
        page.Dom.Text("[role=alert]").ShouldContain(product.Word("Stage.Authentication"));
        page.Dom.Text($"[data-account=\"{account}\"]").ShouldBe("Reading");
    }

    private async Task<MessageFlags> FlagsOnServerAsync(Mailbox mailbox, string folder = "INBOX")
    {
        using var client = await product.SignInAsync(mailbox);
        var opened = await client.GetFolderAsync(folder);
        await opened.OpenAsync(FolderAccess.ReadOnly);
        var found = await opened.FetchAsync(0, -1, MessageSummaryItems.Flags);
        return found.Count == 0 ? MessageFlags.None : found.Single().Flags!.Value;
    }

    private async Task<int> CountAsync(Mailbox mailbox, string folder)
    {
        using var client = await product.SignInAsync(mailbox);
        var opened = await client.GetFolderAsync(folder);
        await opened.OpenAsync(FolderAccess.ReadOnly);
        return opened.Count;
    }

    [Fact]
    public async Task a_message_can_be_marked_read_and_unread_and_flagged()
    {
        var (user, mailbox, account) = await AccountWithMailAsync(Message("Flags", 1));
        using var _ = user;
        var view = $"/Email/Message?account={account}&folder=INBOX&uid=1";
        Dictionary<string, string> Flag(string flag, bool set) => new()
        {
            ["account"] = account, ["folder"] = "INBOX", ["uid"] = "1", ["flag"] = flag, ["set"] = set ? "true" : "false",
        };

        (await user.Session.SubmitAsync(view, Flag("seen", true), postTo: "/Email/Message?handler=Flag")).Status.ShouldBe(HttpStatusCode.Redirect);
        (await FlagsOnServerAsync(mailbox)).HasFlag(MessageFlags.Seen).ShouldBeTrue();
        // A read message offers to mark it unread.
        (await user.Session.GetAsync(view)).Dom.One("form[data-flag=\"seen\"] [name=\"set\"]").GetAttribute("value").ShouldBe(bool.FalseString);

        await user.Session.SubmitAsync(view, Flag("seen", false), postTo: "/Email/Message?handler=Flag");
        await user.Session.SubmitAsync(view, Flag("flagged", true), postTo: "/Email/Message?handler=Flag");
        var flags = await FlagsOnServerAsync(mailbox);
        flags.HasFlag(MessageFlags.Seen).ShouldBeFalse();
        flags.HasFlag(MessageFlags.Flagged).ShouldBeTrue();
    }

    [Fact]
    public async Task delete_moves_to_the_accounts_trash_and_without_one_the_user_is_asked_to_choose()
    {
        var (user, mailbox, account) = await AccountWithMailAsync(Message("To delete", 1), Message("To move", 2));
        using var _ = user;
        var fields = new Dictionary<string, string> { ["account"] = account, ["folder"] = "INBOX", ["uid"] = "1" };

        var asked = await user.Session.SubmitAsync($"/Email/Message?account={account}&folder=INBOX&uid=1", new(fields), postTo: "/Email/Message?handler=Delete");
        asked.Dom.Texts("[role=alert]").ShouldContain(product.Word("Client.NoTrash"));
        (await CountAsync(mailbox, "INBOX")).ShouldBe(2);

        var edit = AccountForms.EditPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html);
        var version = (await user.Session.GetAsync(edit)).Dom.Field("Input.Version")!;
        (await user.Session.SubmitAsync(edit, AccountForms.For(product, mailbox, title: "Reading").With("Input.TrashFolder", "Trash").With("Input.Version", version)))
            .Status.ShouldBe(HttpStatusCode.Redirect);

        (await user.Session.SubmitAsync($"/Email/Message?account={account}&folder=INBOX&uid=1", new(fields), postTo: "/Email/Message?handler=Delete")).Status.ShouldBe(HttpStatusCode.Redirect);
        (await CountAsync(mailbox, "Trash")).ShouldBe(1);

        var moved = await user.Session.SubmitAsync($"/Email/Message?account={account}&folder=INBOX&uid=2",
            new() { ["account"] = account, ["folder"] = "INBOX", ["uid"] = "2", ["target"] = "Junk" }, postTo: "/Email/Message?handler=Move");
        moved.Status.ShouldBe(HttpStatusCode.Redirect);
        (await CountAsync(mailbox, "Junk")).ShouldBe(1);
        (await CountAsync(mailbox, "INBOX")).ShouldBe(0);
    }

    private static MimeMessage Raw(string charset, bool declared, string subject, string text)
    {
        var headers = $"From: boris@specs.test\r\nTo: anna@specs.test\r\nSubject: {subject}\r\nDate: {DateTimeOffset.UtcNow:R}\r\nMIME-Version: 1.0\r\n"
            + $"Content-Type: text/plain{(declared ? "; charset=" + charset : "")}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
        var bytes = System.Text.Encoding.ASCII.GetBytes(headers).Concat(System.Text.Encoding.GetEncoding(charset).GetBytes(text + "\r\n")).ToArray();
        return MimeMessage.Load(new MemoryStream(bytes));
    }

    [Theory]
    [InlineData("windows-1251", false)]
    [InlineData("koi8-r", true)]
    [InlineData("windows-1251", true)]
    public async Task cyrillic_mail_reads_correctly_with_or_without_a_declared_charset(string charset, bool declared)
    {
        var (user, _, account) = await AccountWithMailAsync(Raw(charset, declared, "Cyrillic", "Добрый день! Счёт 42 готов."));
        using var _ = user;

        var frame = FrameOf(await user.Session.GetAsync($"/Email/Message?account={account}&folder=INBOX&uid=1"));

        frame.ShouldContain("Добрый день! Счёт 42 готов.");
    }

    [Fact]
    public async Task a_pop3_account_lists_its_inbox_by_pages_and_opens_a_message()
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            foreach (var i in Enumerable.Range(1, 12))
            {
                var message = Message($"Pop {i:00}", daysAgo: 12 - i);
                await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
            }
        }

        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, protocol: "Pop3", title: "Pop"))).Status.ShouldBe(HttpStatusCode.Redirect);
        await user.Session.SubmitAsync("/Email/Settings/General", new() { ["Input.CheckIntervalMinutes"] = "0", ["Input.Charset"] = "utf-8", ["Input.PageSize"] = "10" });
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds().Single();

        var first = await user.Session.GetAsync($"/Email?account={account}");
        first.Subjects().ShouldBe(Enumerable.Range(3, 10).Reverse().Select(i => $"Pop {i:00}"));
        var second = await user.Session.GetAsync($"/Email?account={account}&p=2");
        second.Subjects().ShouldContain("Pop 01");

        var link = first.Dom.All("#messages [data-subject]").Single(a => a.TextContent == "Pop 12").GetAttribute("href")!;
        var view = await user.Session.GetAsync(link);
        view.Status.ShouldBe(HttpStatusCode.OK);
        view.Dom.Text("[data-subject]").ShouldBe("Pop 12");
    }

    [Fact]
    public async Task accounts_chosen_together_show_their_mail_merged_newest_first_each_row_marked()
    {
        using var user = await product.NewUserAsync();
        var first = await product.NewMailboxAsync();
        var second = await product.NewMailboxAsync();
        foreach (var (mailbox, title, messages) in new[]
                 {
                     (first, "First box", new[] { Message("A newest", 1), Message("A oldest", 5) }),
                     (second, "Second box", new[] { Message("B middle", 3) }),
                 })
        {
            using (var client = await product.SignInAsync(mailbox))
            {
                foreach (var message in messages)
                {
                    await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
                }
            }

            (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: title))).Status.ShouldBe(HttpStatusCode.Redirect);
        }

        var ids = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountIds();
        var page = await user.Session.GetAsync($"/Email?accounts={string.Join(',', ids)}");

        page.Subjects().ShouldBe(["A newest", "B middle", "A oldest"]);
        page.Dom.Texts("#messages tr[data-message] [data-account-title]").ShouldBe(["First box", "Second box", "First box"]);

        using var stranger = await product.NewUserAsync();
        (await stranger.Session.GetAsync($"/Email?accounts={string.Join(',', ids)}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task check_mail_in_the_client_refreshes_at_once_and_a_chosen_interval_never_reloads_the_page()
    {
        var (user, mailbox, account) = await AccountWithMailAsync(Message("Before", 2));
        using var _ = user;
        var before = await user.Session.GetAsync($"/Email?account={account}");
        before.Dom.Has("meta[http-equiv=refresh]").ShouldBeFalse();
        using (var client = await product.SignInAsync(mailbox))
        {
            var late = Message("Arrived later", 0);
            await client.Inbox.AppendAsync(new AppendRequest(late, MessageFlags.None, late.Date));
        }

        var checkedNow = await user.Session.SubmitAsync($"/Email?account={account}", new() { ["returnUrl"] = $"/Email?account={account}" },
            postTo: "/Email?handler=CheckMail");
        checkedNow.Status.ShouldBe(HttpStatusCode.Redirect);
        checkedNow.Location!.ToString().ShouldBe($"/Email?account={account}");
        (await user.Session.GetAsync(checkedNow.Location.ToString())).Subjects().ShouldContain("Arrived later");

        await user.Session.SubmitAsync("/Email/Settings/General", new() { ["Input.CheckIntervalMinutes"] = "5", ["Input.Charset"] = "utf-8", ["Input.PageSize"] = "50" });
        // New mail comes through the page's event stream (see when_new_mail_arrives_while_the_client_is_open), not a reload.
        var after = await user.Session.GetAsync($"/Email?account={account}");
        after.Dom.Has("meta[http-equiv=refresh]").ShouldBeFalse();
        after.Dom.One(".mail-client").GetAttribute("data-watch").ShouldBe($"/Email/Events?account={account}&folder=INBOX");
    }
}
