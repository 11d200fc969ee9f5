using System.Globalization;
using System.Net;
using MailAccounts.Specs.Support;
using MailKit;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

/// <summary>
/// The message page as a person uses it (issue 15): previous and next follow the list as sorted, a delete says what it
/// did on the list it lands on with Undo, and the sender of a message read is offered when writing. In English and Russian.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_person_acts_on_the_message_page_in_the_browser(ProductFixture product)
{
    /// <summary>Arrival order (oldest first) is neither the subjects' order nor its reverse.</summary>
    private static readonly string[] Subjects = ["Bravo letter", "Delta letter", "Alpha letter", "Charlie letter"];

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task sorted_by_subject_next_and_previous_step_through_the_list_in_that_order(string culture)
    {
        var (page, account, _) = await ClientAsync(culture);
        await page.Locator("#messages th[data-sort=subject] a").ClickAsync();
        await Assertions.Expect(page.Locator("#messages th[data-sort=subject]")).ToHaveAttributeAsync("aria-sort", "ascending");
        var rows = page.Locator("#messages tr[data-message]");
        await Assertions.Expect(rows.Locator("[data-subject]")).ToHaveTextAsync(Subjects.Order(StringComparer.Ordinal).ToArray());
        var uids = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.uid)");

        await rows.Nth(0).Locator("a[data-subject]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Email/Message", StringComparison.Ordinal) && url.Contains($"uid={uids[0]}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync("Alpha letter");

        await page.Keyboard.PressAsync("j");
        await page.WaitForURLAsync(url => url.Contains($"uid={uids[1]}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync("Bravo letter");

        await page.Locator("a[rel=next]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"uid={uids[2]}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync("Charlie letter");

        await page.Locator("a[rel=prev]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"uid={uids[1]}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync("Bravo letter");
        await Assertions.Expect(page.Locator("a[rel=prev]")).ToHaveAttributeAsync("href", $"/Email/Message?account={account}&folder=INBOX&uid={uids[0]}");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task delete_on_the_message_page_says_so_on_the_list_and_undo_brings_the_message_back(string culture)
    {
        var (page, account, mailbox) = await ClientAsync(culture);
        var row = page.Locator("#messages tr[data-message]:has([data-subject]:text-is(\"Delta letter\"))");
        await row.Locator("a[data-subject]").ClickAsync();
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync("Delta letter");

        await page.Locator("main button[data-delete]").ClickAsync();

        await page.WaitForURLAsync(url => !url.Contains("/Email/Message", StringComparison.Ordinal));
        var notice = page.Locator("[data-list-notice]");
        await Assertions.Expect(notice).ToContainTextAsync(Said("List.Deleted.One", culture));
        await Assertions.Expect(page.Locator("#messages tr[data-message]")).ToHaveCountAsync(Subjects.Length - 1);
        (await SubjectsAsync(mailbox, "Trash")).ShouldBe(["Delta letter"]);

        await notice.Locator("button[data-undo]").ClickAsync();

        await Assertions.Expect(notice).ToContainTextAsync(Said("List.Restored.One", culture, product.Word("Folder.Inbox", culture)));
        await Assertions.Expect(page.Locator("#messages tr[data-message]")).ToHaveCountAsync(Subjects.Length);
        await Assertions.Expect(row).ToBeVisibleAsync();
        (await SubjectsAsync(mailbox, "Trash")).ShouldBeEmpty();
        (await SubjectsAsync(mailbox, "INBOX")).ShouldContain("Delta letter");
        page.Url.ShouldContain($"account={account}");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_sender_of_a_message_read_is_suggested_when_writing(string culture)
    {
        var (page, _, _) = await ClientAsync(culture);
        await page.Locator("#messages tr[data-message]").First.Locator("a[data-subject]").ClickAsync();
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToBeVisibleAsync();

        // The sender is learnt off the request path: the suggestions answer for it within moments.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(await (await page.Context.APIRequest.GetAsync("/Email/Compose?handler=Suggestions&q=quentin")).TextAsync()).Contains(Sender, StringComparison.Ordinal))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the sender of the message read was never learnt");
            await Task.Delay(100);
        }

        await page.GotoAsync("/Email/Compose");
        var to = page.Locator("#Input_To");
        await to.PressSequentiallyAsync("quent");
        var option = page.GetByRole(AriaRole.Option).Filter(new() { HasText = Sender });
        await Assertions.Expect(option).ToBeVisibleAsync();
        await option.ClickAsync();
        await Assertions.Expect(to).ToHaveValueAsync($"\"Quentin Sender\" <{Sender}>, ");
    }

    private const string Sender = "quentin.sender@specs.test";

    private string Said(string key, string culture, string? where = null) =>
        string.Format(CultureInfo.InvariantCulture, product.Word(key, culture), 1, where);

    private async Task<IReadOnlyList<string>> SubjectsAsync(Mailbox mailbox, string folder)
    {
        using var client = await product.SignInAsync(mailbox);
        var opened = await client.GetFolderAsync(folder);
        await opened.OpenAsync(FolderAccess.ReadOnly);
        var all = await opened.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        return [.. all.Select(m => m.Envelope?.Subject ?? "").Order()];
    }

    /// <summary>A new user with the letters in the inbox and a Trash, signed in on the client in the culture.</summary>
    private async Task<(IPage Page, string Account, Mailbox Mailbox)> ClientAsync(string culture)
    {
        var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        using (var client = await product.SignInAsync(mailbox))
        {
            var start = DateTimeOffset.UtcNow.AddHours(-3);
            for (var i = 0; i < Subjects.Length; i++)
            {
                var message = new MimeMessage { Subject = Subjects[i], Date = start.AddMinutes(i), Body = new TextPart("plain") { Text = "Body of " + Subjects[i] } };
                message.From.Add(new MailboxAddress("Quentin Sender", Sender));
                message.To.Add(MailboxAddress.Parse(mailbox.Address));
                await client.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, message.Date));
            }
        }

        (await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Message box").With("Input.TrashFolder", "Trash")))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync("/Email");
        if (culture != "en")
        {
            await page.Locator("#culture-switch").SelectOptionAsync(culture);
            await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
        }

        await Assertions.Expect(page.Locator("#messages tr[data-message]")).ToHaveCountAsync(Subjects.Length);
        var account = await page.Locator("#messages tr[data-message]").First.GetAttributeAsync("data-account");
        return (page, account!, mailbox);
    }
}
