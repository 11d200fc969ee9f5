using MailAccounts.Specs.Browser.Layout;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Import;

/// <summary>
/// Imported mail as a person reads it: from the client's folder pane to Imported mail, a letter opened, its attachment
/// downloaded (the same bytes), the letter deleted in the system after the confirmation, and gone from the list. In
/// English and Russian.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_person_reads_imported_mail_in_the_browser(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task a_letter_is_opened_its_attachment_downloaded_and_it_is_deleted(string culture)
    {
        using var user = await product.NewUserAsync();
        var (account, _) = await product.AccountWithAMessageAsync(user, "Live message", DateTimeOffset.UtcNow.AddHours(-1));
        var content = Enumerable.Range(0, 50_000).Select(i => (byte)(i * 13 % 256)).ToArray();
        var subject = "Imported letter " + culture;
        await product.ImportLetterAsync(account, ImportedLetters.Message(subject, "<p>Imported body</p>", ("minutes.pdf", content)));
        await product.ImportLetterAsync(account, ImportedLetters.Message("Stays " + culture, date: DateTimeOffset.UtcNow.AddDays(-1)));
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync("/Email");
        await page.InLanguageAsync(culture);

        await page.Locator("[data-imported-entry] a.imported-link").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/Email/Imported", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync(product.Word("Imported.Title", culture));
        var rows = page.Locator("#imported-letters tr[data-letter]");
        await Assertions.Expect(rows.Locator("[data-subject]")).ToHaveTextAsync([subject, "Stays " + culture]);

        await rows.First.Locator("a[data-subject]").ClickAsync();
        await Assertions.Expect(page.Locator("main h1[data-subject]")).ToHaveTextAsync(subject);
        await Assertions.Expect(page.FrameLocator("iframe[data-message-body]").Locator("body")).ToContainTextAsync("Imported body");
        var (name, bytes) = await page.DownloadAsync(page.Locator("[data-attachment] a"));
        name.ShouldBe("minutes.pdf");
        bytes.ShouldBe(content);

        var asked = "";
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.Locator("button[data-delete-letter]").ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/Email/Imported", StringComparison.Ordinal));
        asked.ShouldBe(product.Word("Imported.DeleteConfirm", culture));
        await Assertions.Expect(page.Locator("[data-imported-notice]")).ToHaveTextAsync(product.Word("Imported.Deleted", culture));
        await Assertions.Expect(rows.Locator("[data-subject]")).ToHaveTextAsync(["Stays " + culture]);
    }

    [Fact]
    public async Task a_delete_not_confirmed_keeps_the_letter()
    {
        using var user = await product.NewUserAsync();
        var (account, _) = await product.AccountWithAMessageAsync(user, "Live message", DateTimeOffset.UtcNow.AddHours(-1));
        var id = await product.ImportLetterAsync(account, ImportedLetters.Message("Kept letter"));
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync($"/Email/Imported/Letter?id={id}");
        page.Dialog += async (_, dialog) => await dialog.DismissAsync();

        await page.Locator("button[data-delete-letter]").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        page.Url.ShouldEndWith($"/Email/Imported/Letter?id={id}");
        await page.GotoAsync("/Email/Imported");
        await Assertions.Expect(page.Locator("#imported-letters [data-subject]")).ToHaveTextAsync(["Kept letter"]);
    }
}
