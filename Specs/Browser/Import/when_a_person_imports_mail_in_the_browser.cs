using Marten;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Specs.Browser.Layout;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace MailAccounts.Specs.Browser.Import;

/// <summary>
/// Import end to end, as a person does it, on a mailbox of the private Dovecot and the product's own import queue:
/// import turned on in the account form, Check mail pressed, the Import column's progress followed to its end without a
/// reload, the letter with the attachment read and downloaded in Imported mail, deleted there, and not imported again by
/// the next check. And from the live list: two messages chosen (checkbox, then Shift or Ctrl), Import pressed, the
/// imported marks appearing without a reload, the letters in Imported mail. In English and Russian.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_person_imports_mail_in_the_browser(ProductFixture product)
{
    private static ILocator ImportOf(IPage page, Guid account) => page.Locator($"#accounts tr[data-account='{account}'] [data-import-progress='{account}']");

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task import_turned_on_runs_to_its_end_and_a_deleted_letter_is_not_imported_again(string culture)
    {
        using var importing = await product.ImportingAccountAsync(on: false);
        var content = Enumerable.Range(0, 40_000).Select(i => (byte)(i * 7 % 256)).ToArray();
        var subject = "Minutes " + culture + " " + Guid.NewGuid().ToString("N")[..6];
        await product.AppendAsync(importing.Mailbox, "INBOX",
        [
            Importing.Message("First " + culture, date: DateTimeOffset.UtcNow.AddDays(-3)),
            Importing.Message("Second " + culture, date: DateTimeOffset.UtcNow.AddDays(-2)),
            ImportedLetters.Message(subject, "<p>The minutes are attached.</p>", ("minutes.pdf", content)),
        ]);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(importing.User);
        await page.GotoAsync($"/Email/Settings/Accounts/Edit/{importing.AccountId}");
        await page.InLanguageAsync(culture);

        // Import on, all mail, saved.
        await page.Locator("#Input_ImportOn").CheckAsync();
        await page.Locator("#Input_ImportAll_true").CheckAsync();
        await page.Locator("form[data-account-form] button.primary").ClickAsync();
        await page.WaitForURLAsync("**/Email/Settings/Accounts");

        // Check mail: the import runs, and the column follows it to its end without a reload.
        await page.EvaluateAsync("() => { window.specMarker = 'still here'; }");
        await page.Locator("[data-check-all]").ClickAsync();
        await page.WaitForURLAsync("**/Email/Settings/Accounts**");
        await page.EvaluateAsync("() => { window.specMarker = 'still here'; }");
        var import = ImportOf(page, importing.AccountId);
        await Assertions.Expect(import).ToHaveAttributeAsync("data-import-state", "idle", new() { Timeout = 60_000 });
        await Assertions.Expect(import.Locator("[data-import-text]")).ToContainTextAsync(": 3", new() { Timeout = 20_000 });
        (await page.EvaluateAsync<string>("() => window.specMarker")).ShouldBe("still here");
        var first = (await ProgressAsync(importing.AccountId)).FinishedAt.ShouldNotBeNull();

        // The client's Imported mail, the letter with the attachment, its download.
        await page.GotoAsync("/Email");
        await page.Locator("[data-imported-entry] a.imported-link").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/Email/Imported", StringComparison.Ordinal));
        var rows = page.Locator("#imported-letters tr[data-letter]");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await rows.Locator("a[data-subject]", new() { HasText = subject }).ClickAsync();
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync(subject);
        var (name, bytes) = await page.DownloadAsync(page.Locator("[data-attachment] a"));
        name.ShouldBe("minutes.pdf");
        bytes.ShouldBe(content);

        // Deleted in the system (confirmed).
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.Locator("button[data-delete-letter]").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/Email/Imported", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-imported-notice]")).ToHaveTextAsync(product.Word("Imported.Deleted", culture));
        await Assertions.Expect(rows).ToHaveCountAsync(2);

        // Check mail again: after the import ran again, the letter is still not in Imported mail.
        await page.GotoAsync("/Email/Settings/Accounts");
        await page.Locator("[data-check-all]").ClickAsync();
        await page.WaitForURLAsync("**/Email/Settings/Accounts**");
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while ((await ProgressAsync(importing.AccountId)) is not { Running: false, FinishedAt: { } again } || again <= first)
        {
            DateTimeOffset.UtcNow.ShouldBeLessThan(deadline, "the second import did not finish");
            await Task.Delay(250);
        }

        await page.GotoAsync("/Email/Imported");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Locator("a[data-subject]", new() { HasText = subject })).ToHaveCountAsync(0);
        var letters = await product.LettersAsync(importing.AccountId);
        letters.Count.ShouldBe(3);
        letters.Single(l => l.Deleted).Headers.Subject.ShouldBe(subject);
    }

    [Theory]
    [InlineData("en", false)]
    [InlineData("ru", true)]
    public async Task two_messages_chosen_in_the_live_list_are_imported_and_marked_without_a_reload(string culture, bool withCtrl)
    {
        using var importing = await product.ImportingAccountAsync(on: false);
        var stamp = Guid.NewGuid().ToString("N")[..6];
        await product.AppendAsync(importing.Mailbox, "INBOX",
        [
            Importing.Message($"Left alone {stamp}", date: DateTimeOffset.UtcNow.AddHours(-3)),
            Importing.Message($"Chosen one {stamp}", date: DateTimeOffset.UtcNow.AddHours(-2)),
            Importing.Message($"Chosen two {stamp}", date: DateTimeOffset.UtcNow.AddHours(-1)),
        ]);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(importing.User);
        var asked = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("handler=Imported", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref asked);
            }
        };
        await page.GotoAsync($"/Email?account={importing.AccountId}");
        await page.InLanguageAsync(culture);

        var rows = page.Locator("#messages tr[data-message]");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Locator("[data-imported]")).ToHaveCountAsync(0);
        var one = rows.Filter(new() { HasText = $"Chosen one {stamp}" });
        var two = rows.Filter(new() { HasText = $"Chosen two {stamp}" });
        var alone = rows.Filter(new() { HasText = $"Left alone {stamp}" });
        await two.Locator("input[data-select]").ClickAsync();
        if (withCtrl)
        {
            await one.Locator("td.date").ClickAsync(new() { Modifiers = [KeyboardModifier.Control] });
        }
        else
        {
            // Newest first: the two chosen rows are next to each other, so Shift takes exactly them.
            await one.Locator("input[data-select]").ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        }

        await Assertions.Expect(page.Locator("#messages input[data-select]:checked")).ToHaveCountAsync(2);
        await Assertions.Expect(alone.Locator("input[data-select]")).Not.ToBeCheckedAsync();
        var button = page.Locator("button[data-bulk-action='import']");
        await Assertions.Expect(button).ToHaveTextAsync(product.Word("List.Import", culture));
        await button.ClickAsync();

        // Back on the same list, with what was done; the marks come without a reload.
        await Assertions.Expect(page.Locator("[data-list-notice]")).ToContainTextAsync(
            string.Format(System.Globalization.CultureInfo.InvariantCulture, product.Word("List.Did.import.Many", culture), 2));
        page.Url.ShouldContain($"account={importing.AccountId}");
        await page.EvaluateAsync("() => { window.specMarker = 'still here'; }");
        var imported = product.Word("List.Imported", culture);
        await Assertions.Expect(one.Locator("[data-imported] svg[role='img']")).ToHaveAttributeAsync("aria-label", imported, new() { Timeout = 60_000 });
        await Assertions.Expect(two.Locator("[data-imported] svg[role='img']")).ToHaveAttributeAsync("aria-label", imported, new() { Timeout = 60_000 });
        await Assertions.Expect(one.Locator("[data-imported]")).ToHaveAttributeAsync("title", product.Word("List.ImportedTitle", culture));
        await Assertions.Expect(alone.Locator("[data-imported]")).ToHaveCountAsync(0);
        (await page.EvaluateAsync<string>("() => window.specMarker")).ShouldBe("still here");
        // Whether the marks came with the list or from the script depends on how fast the import ran: say which.
        Console.WriteLine($"imported marks asked for {Volatile.Read(ref asked)} time(s) after the Import");

        // The next view of the list has the marks from the server.
        await page.ReloadAsync();
        await Assertions.Expect(rows.Locator("[data-imported]")).ToHaveCountAsync(2);

        await page.GotoAsync("/Email/Imported");
        await Assertions.Expect(page.Locator("#imported-letters tr[data-letter] [data-subject]")).ToHaveTextAsync([$"Chosen two {stamp}", $"Chosen one {stamp}"]);
    }

    [Fact]
    public async Task the_marks_come_while_the_page_is_open_when_the_import_finishes_after_it()
    {
        // The spec holds the account's import lock while Import is pressed, as a scheduled run of the account would: the
        // page shows before the message is imported, and the press waits on the queue until the lock is let go.
        using var importing = await product.ImportingAccountAsync(on: false);
        var uids = await product.AppendAsync(importing.Mailbox, "INBOX", [Importing.Message("Later " + Guid.NewGuid().ToString("N")[..6])]);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(importing.User);
        await page.GotoAsync($"/Email?account={importing.AccountId}");
        var rows = page.Locator("#messages tr[data-message]");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var store = product.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.QuerySession())
        {
            var held = await AccountLock.TryTakeAsync(ImportedMail.DataSourceOf(session), importing.AccountId, CancellationToken.None);
            await using (held.ShouldNotBeNull())
            {
                var answered = page.WaitForResponseAsync(r => r.Url.Contains("handler=Imported", StringComparison.Ordinal), new() { Timeout = 30_000 });
                await rows.Locator("input[data-select]").CheckAsync();
                await page.Locator("button[data-bulk-action='import']").ClickAsync();
                var first = await answered;
                (await first.TextAsync()).ShouldBe("{\"imported\":[]}");
                await Assertions.Expect(rows.Locator("[data-imported]")).ToHaveCountAsync(0);
            }
        }

        await page.EvaluateAsync("() => { window.specMarker = 'still here'; }");
        // Nobody imports it but the press itself, tried again once the account is free.
        await Assertions.Expect(rows.Locator("[data-imported]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        (await product.LettersAsync(importing.AccountId)).ShouldHaveSingleItem().Places.Single().Uid.ShouldBe(uids[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await page.EvaluateAsync<string>("() => window.specMarker")).ShouldBe("still here");
    }

    private async Task<ImportProgress> ProgressAsync(Guid account)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<ImportProgress>(account) ?? ImportProgress.None(account);
    }
}
