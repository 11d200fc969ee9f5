using MailKit;
using MailKit.Search;
using Marten;
using MailAccounts.Domain.Sending;
using MailAccounts.Infrastructure.Sending;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

/// <summary>Compose's safety nets (issue 15): Cc/Bcc behind links, suggestions, autosave, the leaving warning, Undo after Send.</summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_a_person_composes_with_safety_nets_in_the_browser(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_half_written_message_survives_a_page_reload_as_a_draft(string culture)
    {
        var (_, page, _) = await SignedInAsync(culture);
        await page.GotoAsync("/Email/Compose");
        var boris = await product.NewMailboxAsync();

        await page.Locator("#Input_To").FillAsync(boris.Address);
        await page.Locator("#Input_Subject").FillAsync("Half written " + culture);
        await page.Locator(".editor p").First.ClickAsync();
        await page.Keyboard.TypeAsync("The first half of the text");

        await Assertions.Expect(page.Locator("[data-autosave-status][data-state=saved]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-autosave-status]"))
            .ToContainTextAsync(product.Word("Compose.DraftSaved", culture).Replace("{0}", "", StringComparison.Ordinal).Trim());
        page.Url.ShouldContain("draft=");

        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#Input_To")).ToHaveValueAsync(boris.Address);
        await Assertions.Expect(page.Locator("#Input_Subject")).ToHaveValueAsync("Half written " + culture);
        await Assertions.Expect(page.Locator(".editor")).ToContainTextAsync("The first half of the text");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task undo_after_send_nothing_arrives_and_the_message_is_a_draft_again(string culture)
    {
        const int UndoSeconds = 10;
        var (_, page, account) = await SignedInAsync(culture);
        var boris = await product.NewMailboxAsync();
        await page.GotoAsync("/Email/Settings/General");
        await page.Locator("#undo-send-seconds").SelectOptionAsync(UndoSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#undo-send-settings button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#undo-send-seconds")).ToHaveValueAsync("10");

        await page.GotoAsync("/Email/Compose");
        var mailId = Guid.Parse(await page.Locator("#Input_MailId").InputValueAsync());
        await page.Locator("#Input_To").FillAsync(boris.Address);
        await page.Locator("#Input_Subject").FillAsync("Undo me " + culture);
        await page.GetByRole(AriaRole.Button, new() { Name = product.Word("Compose.Send", culture), Exact = true }).ClickAsync();

        var bar = page.Locator($"form[data-undo-send='{mailId}']");
        await Assertions.Expect(bar).ToContainTextAsync(product.Word("Compose.Sending", culture));
        var sentAt = DateTimeOffset.UtcNow;
        await bar.GetByRole(AriaRole.Button, new() { Name = product.Word("Compose.Undo", culture), Exact = true }).ClickAsync();

        // Back in the draft, with what was written.
        await page.WaitForURLAsync(url => url.Contains($"draft={mailId}", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#Input_Subject")).ToHaveValueAsync("Undo me " + culture);
        await Assertions.Expect(page.Locator("p.notice[role=status]")).ToHaveTextAsync(product.Word("Compose.SendingUndone", culture));

        // Past the time the delivery was scheduled for, and some more: nothing arrived, and nothing was recorded as sent.
        var deadline = sentAt.AddSeconds(UndoSeconds + 8);
        using (var client = await product.SignInAsync(boris))
        {
            while (DateTimeOffset.UtcNow < deadline)
            {
                await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
                (await client.Inbox.SearchAsync(SearchQuery.All)).ShouldBeEmpty();
                await client.Inbox.CloseAsync();
                await Task.Delay(500);
            }
        }

        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var mail = (await session.LoadAsync<OutgoingMail>(mailId)).ShouldNotBeNull();
        mail.Status.ShouldBe(OutgoingMailStatus.Draft);
        mail.Attempts.ShouldBe(0);
        (await session.LoadAsync<SentMail>(mailId)).ShouldBeNull();
        var events = (await product.EventsOfAsync(account)).Select(e => e.Data).ToList();
        events.OfType<MailSendingUndone>().ShouldHaveSingleItem().MailId.ShouldBe(mailId);
        events.OfType<MailSent>().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task suggestions_offer_an_address_written_to_before(string culture)
    {
        var (_, page, account) = await SignedInAsync(culture);
        var boris = await product.NewMailboxAsync();
        var name = "Borislav " + culture;
        await page.GotoAsync("/Email/Compose");
        await page.Locator("#Input_To").FillAsync($"{name} <{boris.Address}>");
        await page.Locator("#Input_Subject").FillAsync("Written to before");
        await page.GetByRole(AriaRole.Button, new() { Name = product.Word("Compose.Send", culture), Exact = true }).ClickAsync();
        await product.WaitForMessageAsync(boris, SearchQuery.SubjectContains("Written to before"));
        await WaitForAsync(async () => (await product.EventsOfAsync(account)).Any(e => e.Data is MailSent));

        await page.GotoAsync("/Email/Compose");
        var to = page.Locator("#Input_To");
        await to.PressSequentiallyAsync("someone@elsewhere.test, bori");

        var option = page.GetByRole(AriaRole.Option).Filter(new() { HasText = boris.Address });
        await Assertions.Expect(option).ToBeVisibleAsync();
        await Assertions.Expect(to).ToHaveAttributeAsync("aria-expanded", "true");
        await to.PressAsync("ArrowDown");
        await Assertions.Expect(option).ToHaveAttributeAsync("aria-selected", "true");
        await to.PressAsync("Enter");

        await Assertions.Expect(to).ToHaveValueAsync($"someone@elsewhere.test, \"{name}\" <{boris.Address}>, ");
        await Assertions.Expect(page.GetByRole(AriaRole.Listbox)).ToBeHiddenAsync();
        page.Url.ShouldContain("/Email/Compose", Case.Sensitive, "Enter chose the address; it did not send the form");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task cc_and_bcc_wait_behind_links_that_show_the_fields(string culture)
    {
        var (_, page, _) = await SignedInAsync(culture);
        await page.GotoAsync("/Email/Compose");

        await Assertions.Expect(page.Locator("#Input_Cc")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#Input_Bcc")).ToBeHiddenAsync();
        await page.Locator("button[data-reveal=cc]").ClickAsync();
        await Assertions.Expect(page.Locator("#Input_Cc")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#Input_Cc")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#Input_Bcc")).ToBeHiddenAsync();
        await page.Locator("button[data-reveal=bcc]").ClickAsync();
        await Assertions.Expect(page.Locator("#Input_Bcc")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("button[data-reveal=cc]")).ToBeHiddenAsync();

        // A draft that holds a copy shows its field at once.
        await page.Locator("#Input_Cc").FillAsync("copy@elsewhere.test");
        await Assertions.Expect(page.Locator("[data-autosave-status][data-state=saved]")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#Input_Cc")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#Input_Cc")).ToHaveValueAsync("copy@elsewhere.test");
        await Assertions.Expect(page.Locator("#Input_Bcc")).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task leaving_a_changed_form_asks_first_but_not_once_the_draft_is_saved(string culture)
    {
        var (_, page, _) = await SignedInAsync(culture);
        await page.GotoAsync("/Email/Compose");
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Type);
            await dialog.DismissAsync();
        };

        await page.Locator("#Input_Subject").FillAsync("Do not lose me");
        await page.GetByRole(AriaRole.Link, new() { Name = product.Word("Common.Cancel", culture), Exact = true }).ClickAsync();

        await WaitForAsync(() => Task.FromResult(asked.Count > 0));
        asked.ShouldBe(["beforeunload"]);
        page.Url.ShouldContain("/Email/Compose");

        // Once autosave has caught up, leaving asks nothing.
        await Assertions.Expect(page.Locator("[data-autosave-status][data-state=saved]")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = product.Word("Common.Cancel", culture), Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Email/Compose", StringComparison.Ordinal));
        asked.Count.ShouldBe(1);
    }

    private async Task<(TestUser User, IPage Page, Guid Account)> SignedInAsync(string culture)
    {
        var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        var account = await product.AccountSendingAsAsync(user, mailbox, "Safety " + culture);
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        if (culture != "en")
        {
            await page.Locator("#culture-switch").SelectOptionAsync(culture);
            await page.WaitForFunctionAsync($"document.documentElement.lang === '{culture}'");
        }

        return (user, page, account);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, int seconds = 15)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {seconds} seconds.");
            }

            await Task.Delay(100);
        }
    }
}
