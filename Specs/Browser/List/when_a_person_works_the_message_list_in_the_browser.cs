using System.Globalization;
using MailKit;
using MailKit.Net.Imap;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;
using Shouldly;

namespace MailAccounts.Specs.Browser.List;

/// <summary>The message list as a mail client's: selection, bulk actions with their notices, sorting, flags, threads, drag and drop.</summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_person_works_the_message_list_in_the_browser(ProductFixture product)
{
    private static MimeMessage Letter(string subject, DateTimeOffset date, string? id = null, string? answers = null)
    {
        var message = new MimeMessage { Subject = subject, Date = date, Body = new TextPart("plain") { Text = "Body of " + subject } };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse("anna@specs.test"));
        if (id is not null)
        {
            message.MessageId = id;
        }

        if (answers is not null)
        {
            message.InReplyTo = answers;
            message.References.Add(answers);
        }

        return message;
    }

    /// <summary>A user with one IMAP account over a mailbox holding these messages (and an Archive folder), and a browser page on its list.</summary>
    private async Task<(Mailbox Mailbox, IPage Page)> ListAsync(string culture, params (MimeMessage Message, MessageFlags Flags)[] messages)
    {
        var (mailbox, page, _) = await ListOfAsync(culture, messages);
        return (mailbox, page);
    }

    private async Task<(Mailbox Mailbox, IPage Page, TestUser User)> ListOfAsync(string culture, params (MimeMessage Message, MessageFlags Flags)[] messages)
    {
        var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Archive", true);
            foreach (var (message, flags) in messages)
            {
                await client.Inbox.AppendAsync(new AppendRequest(message, flags, message.Date));
            }
        }

        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "List box").With("Input.TrashFolder", "Trash"));
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        await page.GotoAsync("/Email");
        if (culture == "ru")
        {
            await page.Locator("#culture-switch").SelectOptionAsync("ru");
            await page.WaitForFunctionAsync("document.documentElement.lang === 'ru'");
        }

        await Assertions.Expect(page.Locator("#messages tr[data-message]")).ToHaveCountAsync(messages.Length);
        return (mailbox, page, user);
    }

    private static (MimeMessage, MessageFlags)[] Letters(params string[] subjects) =>
        [.. subjects.Select((s, i) => (Letter(s, DateTimeOffset.UtcNow.AddMinutes(-10 * (i + 1))), MessageFlags.None))];

    private static ILocator Row(IPage page, string subject) => page.Locator($"#messages tr[data-message]:has([data-subject]:text-is(\"{subject}\"))");

    private static async Task<IReadOnlyList<string>> SubjectsOnServerAsync(ImapClient client, string folder)
    {
        var opened = await client.GetFolderAsync(folder);
        await opened.OpenAsync(FolderAccess.ReadOnly);
        var all = await opened.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        await opened.CloseAsync();
        return [.. all.Select(m => m.Envelope?.Subject ?? "").Order()];
    }

    private string Said(string key, string culture, int count, string? where = null) =>
        string.Format(CultureInfo.InvariantCulture, product.Word(key, culture), count, where);

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task three_selected_messages_move_to_the_chosen_folder_and_the_notice_says_so(string culture)
    {
        var (mailbox, page) = await ListAsync(culture, Letters("One", "Two", "Three", "Four"));

        foreach (var subject in new[] { "One", "Two", "Three" })
        {
            await Row(page, subject).Locator("input[data-select]").CheckAsync();
        }

        // The special folders are named by their use in the page's language, as in the folder pane.
        await Assertions.Expect(page.Locator("#bulk-target option[data-role='drafts']")).ToHaveTextAsync(product.Word("Folder.Drafts", culture));
        await page.Locator("#bulk-target").SelectOptionAsync("Archive");
        await page.Locator("button[data-bulk-action='move']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-list-notice]")).ToContainTextAsync(Said("List.Moved.Many", culture, 3, "Archive"));
        await Assertions.Expect(page.Locator("#messages tr[data-message]")).ToHaveCountAsync(1);
        using var client = await product.SignInAsync(mailbox);
        (await SubjectsOnServerAsync(client, "Archive")).ShouldBe(["One", "Three", "Two"]);
        (await SubjectsOnServerAsync(client, "INBOX")).ShouldBe(["Four"]);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task sorting_by_subject_goes_both_ways_and_is_remembered_on_the_next_visit(string culture)
    {
        var (_, page) = await ListAsync(culture, Letters("Bravo", "Delta", "Alpha", "Charlie"));
        var subjects = page.Locator("#messages tr[data-message] [data-subject]");

        await page.Locator("th[data-sort='subject'] a").ClickAsync();
        await Assertions.Expect(page.Locator("th[data-sort='subject']")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(subjects).ToHaveTextAsync(["Alpha", "Bravo", "Charlie", "Delta"]);

        await page.Locator("th[data-sort='subject'] a").ClickAsync();
        await Assertions.Expect(page.Locator("th[data-sort='subject']")).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(subjects).ToHaveTextAsync(["Delta", "Charlie", "Bravo", "Alpha"]);

        await page.GotoAsync("/Email");
        await Assertions.Expect(subjects).ToHaveTextAsync(["Delta", "Charlie", "Bravo", "Alpha"]);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task select_unread_checks_exactly_the_unread_rows_and_a_flagged_row_shows_its_mark(string culture)
    {
        var now = DateTimeOffset.UtcNow;
        var (_, page) = await ListAsync(culture,
            (Letter("Read one", now.AddMinutes(-1)), MessageFlags.Seen),
            (Letter("Unread one", now.AddMinutes(-2)), MessageFlags.None),
            (Letter("Flagged read", now.AddMinutes(-3)), MessageFlags.Seen | MessageFlags.Flagged),
            (Letter("Unread two", now.AddMinutes(-4)), MessageFlags.None));

        await page.Locator("select[data-select-all]").SelectOptionAsync("unread");

        await Assertions.Expect(page.Locator("#messages input[data-select]:checked")).ToHaveCountAsync(2);
        await Assertions.Expect(Row(page, "Unread one").Locator("input[data-select]")).ToBeCheckedAsync();
        await Assertions.Expect(Row(page, "Unread two").Locator("input[data-select]")).ToBeCheckedAsync();
        await Assertions.Expect(Row(page, "Flagged read")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bflagged\b"));
        await Assertions.Expect(Row(page, "Flagged read").Locator(".flag-mark")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(Row(page, "Read one").Locator(".flag-mark")).ToHaveAttributeAsync("aria-pressed", "false");

        // The mark is a button: a click flags the row on the server.
        await Row(page, "Read one").Locator(".flag-mark").ClickAsync();
        await Assertions.Expect(Row(page, "Read one").Locator(".flag-mark")).ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task deleted_messages_go_to_the_trash_and_undo_brings_them_back(string culture)
    {
        var (mailbox, page) = await ListAsync(culture, Letters("Keep", "Drop one", "Drop two"));

        await Row(page, "Drop one").Locator("input[data-select]").CheckAsync();
        await Row(page, "Drop two").Locator("input[data-select]").CheckAsync();
        await page.Locator("button[data-bulk-action='delete']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-list-notice]")).ToContainTextAsync(Said("List.Deleted.Many", culture, 2));
        await Assertions.Expect(page.Locator("#messages tr[data-message]")).ToHaveCountAsync(1);
        using (var client = await product.SignInAsync(mailbox))
        {
            (await SubjectsOnServerAsync(client, "Trash")).ShouldBe(["Drop one", "Drop two"]);
        }

        await page.Locator("[data-list-notice] button[data-undo]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-list-notice]")).ToContainTextAsync(Said("List.Restored.Many", culture, 2, product.Word("Folder.Inbox", culture)));
        await Assertions.Expect(page.Locator("#messages tr[data-message]")).ToHaveCountAsync(3);
        using (var client = await product.SignInAsync(mailbox))
        {
            (await SubjectsOnServerAsync(client, "INBOX")).ShouldBe(["Drop one", "Drop two", "Keep"]);
            (await SubjectsOnServerAsync(client, "Trash")).ShouldBeEmpty();
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_thread_view_puts_a_reply_under_its_parent(string culture)
    {
        var now = DateTimeOffset.UtcNow;
        var (_, page) = await ListAsync(culture,
            (Letter("Project kickoff", now.AddHours(-3), id: "kickoff@specs.test"), MessageFlags.None),
            (Letter("Lunch", now.AddHours(-2)), MessageFlags.None),
            (Letter("Re: Project kickoff", now.AddHours(-1), answers: "kickoff@specs.test"), MessageFlags.None));
        var subjects = page.Locator("#messages tr[data-message] [data-subject]");
        await Assertions.Expect(subjects).ToHaveTextAsync(["Re: Project kickoff", "Lunch", "Project kickoff"]);

        await page.Locator("[data-thread-toggle='off']").ClickAsync();

        await Assertions.Expect(page.Locator("[data-thread-toggle='on']")).ToBeVisibleAsync();
        // The thread takes the place of its newest message, the reply right under its parent.
        await Assertions.Expect(subjects).ToHaveTextAsync(["Project kickoff", "Re: Project kickoff", "Lunch"]);
        await Assertions.Expect(Row(page, "Re: Project kickoff")).ToHaveAttributeAsync("data-depth", "1");

        // Collapsing the parent hides the reply.
        await Row(page, "Project kickoff").Locator("button.thread-twisty").ClickAsync();
        await Assertions.Expect(Row(page, "Re: Project kickoff")).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_message_dragged_onto_a_folder_moves_there(string culture)
    {
        var (mailbox, page) = await ListAsync(culture, Letters("Drag me", "Stay"));

        await Row(page, "Drag me").DragToAsync(page.Locator(".mail-folders li[data-folder='Archive']"));

        await Assertions.Expect(page.Locator("[data-list-notice]")).ToContainTextAsync(Said("List.Moved.One", culture, 1, "Archive"));
        using var client = await product.SignInAsync(mailbox);
        (await SubjectsOnServerAsync(client, "Archive")).ShouldBe(["Drag me"]);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_silent_account_shows_the_loading_line_and_the_accounts_stay_clickable(string culture)
    {
        var (_, page, user) = await ListOfAsync(culture, Letters("Answering"));
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.Valid("Silent box", "silent@specs.test")
            .With("Input.Host", product.MailServer.Endpoints.Host)
            .With("Input.Port", product.Misbehaving.SilentPort.ToString(CultureInfo.InvariantCulture)));
        await page.ReloadAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Silent box", Exact = true }).ClickAsync();

        await Assertions.Expect(page.Locator("section.mail-list [data-loading]")).ToHaveTextAsync(product.Word("List.Loading", culture));
        await page.GetByRole(AriaRole.Link, new() { Name = "List box", Exact = true }).ClickAsync(new() { Timeout = 5000 });
        await Assertions.Expect(Row(page, "Answering")).ToBeVisibleAsync(new() { Timeout = 5000 });
    }
}
