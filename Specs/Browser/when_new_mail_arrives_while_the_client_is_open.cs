using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser;

/// <summary>The client page while it stays open: new mail shows by itself, the tab counts it, folders are named for what they are.</summary>
[Collection(MailInTheBrowserCollection.Name)]
public sealed class when_new_mail_arrives_while_the_client_is_open(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_message_delivered_while_the_client_is_open_appears_without_a_reload_and_the_title_count_changes(string culture)
    {
        var (page, mailbox, account) = await ClientAsync(culture);
        var inbox = product.Word("Folder.Inbox", culture);
        await Assertions.Expect(page).ToHaveTitleAsync($"{inbox} · MailAccounts");
        // A reload or a navigation would lose this.
        await page.EvaluateAsync("() => { window.specMarker = 'still here'; }");
        await WatchingAsync(account);

        var message = new MimeMessage { Subject = "Came while you looked " + culture, Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Body = new TextPart("plain") { Text = "Hello" };
        await product.DeliverAsync(mailbox, [message]);

        await Assertions.Expect(page.Locator("#messages tr[data-message] [data-subject]")).ToHaveTextAsync(message.Subject);
        await Assertions.Expect(page).ToHaveTitleAsync($"(1) {inbox} · MailAccounts");
        await Assertions.Expect(page.Locator("li[data-folder=INBOX] [data-unread]")).ToHaveTextAsync("1");
        Assert.Equal("still here", await page.EvaluateAsync<string?>("() => window.specMarker ?? null"));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task special_folders_are_named_in_the_pages_language_first_and_with_icons(string culture)
    {
        var (page, mailbox, account) = await ClientAsync(culture);
        using (var client = await product.SignInAsync(mailbox))
        {
            var letter = new MimeMessage { Subject = "To be moved", Date = DateTimeOffset.UtcNow, Body = new TextPart("plain") { Text = "Hi" } };
            letter.From.Add(MailboxAddress.Parse("boris@specs.test"));
            await client.Inbox.AppendAsync(new MailKit.AppendRequest(letter, MailKit.MessageFlags.None, letter.Date));
            // An ordinary folder whose name sorts before the special ones: it still comes after them.
            await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Accounting", true);
        }

        await page.ReloadAsync();
        // The server's names stay in data-folder; the names shown are the special uses in the page's language.
        foreach (var (folder, role) in new[] { ("INBOX", "Inbox"), ("Drafts", "Drafts"), ("Sent", "Sent"), ("Junk", "Junk"), ("Trash", "Trash") })
        {
            var item = page.Locator($"li[data-folder='{folder}']");
            await Assertions.Expect(item.Locator("[data-folder-name]")).ToHaveTextAsync(product.Word("Folder." + role, culture));
            await Assertions.Expect(item).ToHaveAttributeAsync("data-role", role.ToLowerInvariant());
            await Assertions.Expect(item.Locator(".folder-icon")).ToBeVisibleAsync();
        }

        // The sidebar's toolbar wraps: "Проверить почту" stays inside the sidebar instead of running under the list.
        var sidebar = await page.Locator(".mail-accounts").BoundingBoxAsync();
        var checkMail = await page.Locator("[data-hook=check-mail] button").BoundingBoxAsync();
        Assert.True(checkMail!.X + checkMail.Width <= sidebar!.X + sidebar.Width + 0.5, $"Check mail ends at {checkMail.X + checkMail.Width}, the sidebar at {sidebar.X + sidebar.Width}");

        var order = await page.Locator("#mail-folders > li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.folder)");
        Assert.Equal(["INBOX", "Drafts", "Sent", "Junk", "Trash", "Accounting"], order);

        await page.GetByRole(AriaRole.Link, new() { Name = "To be moved" }).ClickAsync();
        await Assertions.Expect(page.Locator("#move-target option[value=Sent]")).ToHaveTextAsync(product.Word("Folder.Sent", culture));
        await Assertions.Expect(page.Locator("#move-target option[value=Accounting]")).ToHaveTextAsync("Accounting");
    }

    /// <summary>
    /// Records each notification the page makes, and still makes it: the browser's own Notification, observed. Chromium's
    /// headless window shows none, so the page's calls are what can be seen.
    /// </summary>
    private const string RecordNotifications = """
        (() => {
          const Real = window.Notification;
          window.specNotifications = [];
          class Recording extends Real {
            constructor(title, options) {
              window.specNotifications.push({ title, body: options?.body ?? "" });
              super(title, options);
            }
          }
          Object.defineProperty(Recording, "permission", { get: () => Real.permission });
          Recording.requestPermission = (...args) => Real.requestPermission(...args);
          window.Notification = Recording;
        })();
        """;

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task new_mail_is_announced_by_a_browser_notification_only_while_the_person_has_it_on(string culture)
    {
        var (page, mailbox, account) = await ClientAsync(culture, new BrowserNewContextOptions { Permissions = ["notifications"] });
        var button = page.Locator("[data-hook=notify-new-mail]");
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        await Assertions.Expect(button).ToHaveTextAsync(product.Word("Client.NotifyOff", culture));

        await button.ClickAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(button).ToHaveTextAsync(product.Word("Client.NotifyOn", culture));
        await WatchingAsync(account);
        await product.DeliverAsync(mailbox, [Letter(mailbox, "Announced " + culture)]);

        await page.WaitForFunctionAsync("() => window.specNotifications.length === 1");
        Assert.Equal(product.Word("Client.NewMailTitle", culture), await page.EvaluateAsync<string>("() => window.specNotifications[0].title"));
        Assert.StartsWith("(1) ", await page.EvaluateAsync<string>("() => window.specNotifications[0].body"));

        // Turned off, the next message still shows in the list, with no notification.
        await button.ClickAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        await product.DeliverAsync(mailbox, [Letter(mailbox, "Quiet " + culture)]);
        await Assertions.Expect(page.Locator("#messages tr[data-message] [data-subject]", new() { HasText = "Quiet " + culture })).ToBeVisibleAsync();
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.specNotifications.length"));
    }

    private static MimeMessage Letter(Mailbox mailbox, string subject)
    {
        var message = new MimeMessage { Subject = subject, Date = DateTimeOffset.UtcNow };
        message.From.Add(MailboxAddress.Parse("boris@specs.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    private async Task<(IPage Page, Mailbox Mailbox, Guid Account)> ClientAsync(string culture, BrowserNewContextOptions? options = null)
    {
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, AccountForms.For(product, mailbox, title: "Live box"));
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountId("Live box");
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user, options ?? new BrowserNewContextOptions());
        await page.Context.AddInitScriptAsync(RecordNotifications);
        await page.GotoAsync("/Email");
        if (culture == "ru")
        {
            await page.Locator("#culture-switch").SelectOptionAsync("ru");
            await page.WaitForFunctionAsync("document.documentElement.lang === 'ru'");
        }

        await Assertions.Expect(page.Locator("li[data-folder=INBOX]")).ToBeVisibleAsync();
        return (page, mailbox, account);
    }

    /// <summary>Waits until the page's folder is watched on the server: mail delivered before would be in the page already.</summary>
    private async Task WatchingAsync(Guid account)
    {
        var watchers = product.Services.GetRequiredService<FolderWatchers>();
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!watchers.IsWatching(account, "INBOX"))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException("The client's INBOX was not watched within 20 s.");
            }

            await Task.Delay(50);
        }
    }
}
