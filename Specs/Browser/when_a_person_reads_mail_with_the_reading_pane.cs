using System.Net;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Search;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// Reading mail as people do in a desktop client: a reading pane beside the list that follows the selection, previous
/// and next in the message, keyboard shortcuts with a ? help, a skip link to the list, and marks whose buttons say
/// what pressing them would do now. Each in English and in Russian.
/// </summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed partial class when_a_person_reads_mail_with_the_reading_pane(ProductFixture product)
{
    /// <summary>Appended oldest first: the list, newest first, shows them in the opposite order.</summary>
    private static readonly string[] Subjects = ["Oldest letter", "Middle letter", "Newest letter"];

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_pane_shows_the_selected_row_and_j_moves_to_the_next_one(string culture)
    {
        var (page, _) = await ClientAsync(culture);
        var rows = page.Locator("#messages tr[data-message]");
        var paneSubject = page.Locator("#reading-pane [data-message-view] [data-subject]");

        await page.Locator("#pane-choice").SelectOptionAsync("right");
        await rows.Nth(0).Locator("td.from").ClickAsync();
        await Assertions.Expect(paneSubject).ToHaveTextAsync(await SubjectOf(rows.Nth(0)));
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("aria-current", "true");
        page.Url.ShouldNotContain("/Email/Message");

        await page.Keyboard.PressAsync("j");
        await Assertions.Expect(rows.Nth(1)).ToHaveAttributeAsync("aria-current", "true");
        await Assertions.Expect(rows.Nth(1)).ToHaveClassAsync(SelectedClass());
        await Assertions.Expect(rows.Nth(0)).Not.ToHaveAttributeAsync("aria-current", "true");
        await Assertions.Expect(paneSubject).ToHaveTextAsync(await SubjectOf(rows.Nth(1)));

        await page.Keyboard.PressAsync("ArrowUp");
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("aria-current", "true");
        await Assertions.Expect(paneSubject).ToHaveTextAsync(await SubjectOf(rows.Nth(0)));

        // The choice stays with the person; Enter opens the selected message's own page.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#pane-choice")).ToHaveValueAsync("right");
        await rows.Nth(1).Locator("td.date").ClickAsync();
        await Assertions.Expect(paneSubject).ToHaveTextAsync(await SubjectOf(rows.Nth(1)));
        var uid = await rows.Nth(1).GetAttributeAsync("data-uid");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.Contains("/Email/Message", StringComparison.Ordinal) && url.Contains($"uid={uid}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync(Subjects[1]);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task typing_j_in_a_field_does_not_move_the_selection(string culture)
    {
        var (page, _) = await ClientAsync(culture);
        var rows = page.Locator("#messages tr[data-message]");
        await page.Locator("#pane-choice").SelectOptionAsync("right");
        await rows.Nth(0).Locator("td.from").ClickAsync();
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("aria-current", "true");

        await page.Locator("#pane-choice").FocusAsync();
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("ArrowDown");

        // The field took the keys (the arrow chose the next option); the list did not.
        await Assertions.Expect(page.Locator("#pane-choice")).ToHaveValueAsync("below");
        await Assertions.Expect(rows.Nth(0)).ToHaveAttributeAsync("aria-current", "true");
        await Assertions.Expect(rows.Nth(1)).Not.ToHaveAttributeAsync("aria-current", "true");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task previous_and_next_go_to_the_neighbours_and_are_disabled_at_the_ends(string culture)
    {
        var (page, account) = await ClientAsync(culture);
        var uids = await page.Locator("#messages tr[data-message]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.uid)");
        uids.Length.ShouldBe(3);

        await page.GotoAsync($"/Email/Message?account={account}&folder=INBOX&uid={uids[0]}");
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync(Subjects[2]);
        await Assertions.Expect(page.Locator("a[rel=prev]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-nav=prev][aria-disabled=true]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("a[rel=next]")).ToHaveAttributeAsync("aria-label", product.Word("Client.OlderMessage", culture));

        await page.Locator("a[rel=next]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"uid={uids[1]}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync(Subjects[1]);
        await Assertions.Expect(page.Locator("a[rel=prev]")).ToHaveAttributeAsync("aria-label", product.Word("Client.NewerMessage", culture));

        // j is next on the message page too.
        await page.Keyboard.PressAsync("j");
        await page.WaitForURLAsync(url => url.Contains($"uid={uids[2]}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync(Subjects[0]);
        await Assertions.Expect(page.Locator("a[rel=next]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-nav=next][aria-disabled=true]")).ToBeVisibleAsync();

        await page.Locator("a[rel=prev]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"uid={uids[1]}", StringComparison.Ordinal));

        // u goes back to the list.
        await page.Keyboard.PressAsync("u");
        await page.WaitForURLAsync(url => !url.Contains("/Email/Message", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#messages")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task question_mark_opens_the_help_and_escape_closes_it(string culture)
    {
        var (page, _) = await ClientAsync(culture);
        var help = page.Locator("dialog#shortcuts-help");
        await Assertions.Expect(help).ToBeHiddenAsync();

        await page.Keyboard.PressAsync("Shift+Slash");
        await Assertions.Expect(help).ToBeVisibleAsync();
        await Assertions.Expect(help.Locator("h2")).ToHaveTextAsync(product.Word("Shortcuts.Title", culture));
        await Assertions.Expect(help.Locator("kbd", new() { HasText = "j" })).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(help).ToBeHiddenAsync();

        // The visible button opens it as well.
        await page.GetByRole(AriaRole.Button, new() { Name = product.Word("Shortcuts.Title", culture), Exact = true }).ClickAsync();
        await Assertions.Expect(help).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = product.Word("Shortcuts.Close", culture), Exact = true }).ClickAsync();
        await Assertions.Expect(help).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_list(string culture)
    {
        var (page, _) = await ClientAsync(culture);
        // The page's one heading names the folder shown, as the folder list does.
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync((await page.Locator(".mail-folders a.active").TextContentAsync())!.Trim());

        await page.Keyboard.PressAsync("Tab");
        var first = page.Locator(":focus");
        await Assertions.Expect(first).ToHaveClassAsync("skip-link");
        await Assertions.Expect(first).ToHaveTextAsync(product.Word("Client.SkipToMessages", culture));
        await Assertions.Expect(first).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#messages")).ToBeFocusedAsync();

        // From there the first message is a few Tab stops away: the four sort headers, then its checkbox and flag (the
        // list's toolbar is above, behind Shift+Tab). Before, 18 stops stood between the page's top and the first message.
        for (var stop = 0; stop < 7 && !await page.Locator("#messages a[data-subject]:focus").IsVisibleAsync(); stop++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(page.Locator("#messages a[data-subject]").First).ToBeFocusedAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task mark_as_read_and_flag_say_what_they_would_do_now_on_the_page_and_in_the_pane(string culture)
    {
        var (page, account) = await ClientAsync(culture);
        var rows = page.Locator("#messages tr[data-message]");
        var uids = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.uid)");

        // The page: read after a moment, so the button offers the opposite and posts it.
        await page.GotoAsync($"/Email/Message?account={account}&folder=INBOX&uid={uids[0]}");
        var seen = page.Locator("main form[data-flag=seen]");
        await Assertions.Expect(seen.Locator("button")).ToHaveTextAsync(product.Word("Client.MarkUnread", culture));
        await Assertions.Expect(seen.Locator("input[name=set]")).ToHaveValueAsync("false");
        (await FlagsAsync(uint.Parse(uids[0]))).HasFlag(MessageFlags.Seen).ShouldBeTrue();

        await seen.Locator("button").ClickAsync();
        await Assertions.Expect(seen.Locator("button")).ToHaveTextAsync(product.Word("Client.MarkRead", culture));
        await WaitForAsync(uint.Parse(uids[0]), flags => !flags.HasFlag(MessageFlags.Seen));

        var flag = page.Locator("main form[data-flag=flagged] button");
        await Assertions.Expect(flag).ToHaveTextAsync(product.Word("Client.Flag", culture));
        await flag.ClickAsync();
        await Assertions.Expect(flag).ToHaveTextAsync(product.Word("Client.Unflag", culture));
        await WaitForAsync(uint.Parse(uids[0]), flags => flags.HasFlag(MessageFlags.Flagged));

        // The pane: the same button flips, and the row loses its unread style.
        await page.GotoAsync("/Email");
        await page.Locator("#pane-choice").SelectOptionAsync("below");
        var row = page.Locator($"#messages tr[data-message][data-uid='{uids[1]}']");
        await Assertions.Expect(row).ToHaveClassAsync(UnreadClass());
        await row.Locator("td.from").ClickAsync();
        var paneSeen = page.Locator("#reading-pane form[data-flag=seen] button");
        await Assertions.Expect(paneSeen).ToHaveTextAsync(product.Word("Client.MarkUnread", culture));
        await Assertions.Expect(row).Not.ToHaveClassAsync(UnreadClass());
        await WaitForAsync(uint.Parse(uids[1]), flags => flags.HasFlag(MessageFlags.Seen));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_pane_keeps_the_frames_sandbox_and_policy_and_loads_no_remote_image(string culture)
    {
        var (page, _) = await ClientAsync(culture, remoteImage: true);
        var elsewhere = new List<string>();
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Authority == product.BaseAddress.Authority)
            {
                await route.ContinueAsync();
            }
            else
            {
                lock (elsewhere)
                {
                    elsewhere.Add(route.Request.Url);
                }

                await route.AbortAsync("blockedbyclient");
            }
        });

        await page.Locator("#pane-choice").SelectOptionAsync("right");
        await page.Locator("#messages tr[data-message]").Nth(0).Locator("td.from").ClickAsync();
        var frame = page.Locator("#reading-pane iframe.message-body");
        await Assertions.Expect(frame).ToHaveAttributeAsync("sandbox", "allow-popups allow-popups-to-escape-sandbox");
        (await frame.GetAttributeAsync("srcdoc") ?? "").ShouldContain("default-src 'none'; img-src data:;");
        await Assertions.Expect(page.Locator("#pane-remote-blocked")).ToBeVisibleAsync();

        var image = page.FrameLocator("#reading-pane iframe.message-body").Locator("img");
        await Assertions.Expect(image).ToBeAttachedAsync();
        // The browser is done with the image when it is complete: refused by the policy, it never asked for it.
        await image.EvaluateAsync("img => img.complete || new Promise(done => { img.onerror = img.onload = done; })");
        (await image.EvaluateAsync<int>("img => img.naturalWidth")).ShouldBe(0);
        lock (elsewhere)
        {
            elsewhere.ShouldBeEmpty();
        }
    }

    private static async Task<string> SubjectOf(ILocator row) => (await row.Locator("[data-subject]").TextContentAsync())!.Trim();

    [GeneratedRegex(@"\bselected\b")]
    private static partial Regex SelectedClass();

    [GeneratedRegex(@"\bunread\b")]
    private static partial Regex UnreadClass();

    private Mailbox _mailbox = null!;

    /// <summary>A new user with three unread letters (or one with a remote image), signed in on the client in the culture.</summary>
    private async Task<(IPage Page, string Account)> ClientAsync(string culture, bool remoteImage = false)
    {
        var user = await product.NewUserAsync();
        _mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(_mailbox))
        {
            var start = DateTimeOffset.UtcNow.AddHours(-3);
            (string Subject, string Html)[] letters = remoteImage
                ? [("Pixel letter", "<p>Hello</p><p><img src=\"https://tracker.invalid/open?id=7\" alt=\"pixel\" width=\"1\" height=\"1\"></p>")]
                : Subjects.Select(s => (s, "<p>Body of " + s + "</p>")).ToArray();
            for (var i = 0; i < letters.Length; i++)
            {
                var message = new MimeMessage { Subject = letters[i].Subject, Date = start.AddMinutes(i), Body = new TextPart("html") { Text = letters[i].Html } };
                message.From.Add(MailboxAddress.Parse("boris@specs.test"));
                message.To.Add(MailboxAddress.Parse(_mailbox.Address));
                await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
            }
        }

        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, _mailbox, title: "Reading box"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync("/Email");
        if (culture != "en")
        {
            await page.Locator("#culture-switch").SelectOptionAsync(culture);
            await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
        }

        await Assertions.Expect(page.Locator("#messages tr[data-message]")).ToHaveCountAsync(remoteImage ? 1 : 3);
        var account = await page.Locator("#messages tr[data-message]").First.GetAttributeAsync("data-account");
        return (page, account!);
    }

    private async Task<MessageFlags> FlagsAsync(uint uid)
    {
        using var client = await product.SignInAsync(_mailbox);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summary = (await client.Inbox.FetchAsync([new UniqueId(uid)], MessageSummaryItems.Flags)).Single();
        return summary.Flags ?? MessageFlags.None;
    }

    /// <summary>The server's flags, polled until they match: the button's label changes as its post is answered.</summary>
    private async Task WaitForAsync(uint uid, Func<MessageFlags, bool> expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!expected(await FlagsAsync(uid)))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"the flags of UID {uid} did not change on the server");
            await Task.Delay(100);
        }
    }
}
