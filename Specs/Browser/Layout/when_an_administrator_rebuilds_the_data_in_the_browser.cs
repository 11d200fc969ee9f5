using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Layout;

[Collection(BrowserCollection.Name)]
public sealed class when_an_administrator_rebuilds_the_data_in_the_browser(ProductFixture product)
{
    [Fact]
    public async Task the_russian_progress_names_the_part_and_moves_on_without_a_reload()
    {
        using var administrator = new TestUser(AdministratorSeeding.Login, ProductFixture.AdministratorPassword, product.NewSession());
        var page = await (await product.BrowserAsync()).SignedInPageAsync(administrator);
        await page.GotoAsync("/Admin/Diagnostics");
        await page.InLanguageAsync("ru");

        await page.GetByRole(AriaRole.Button, new() { Name = product.Word("Diagnostics.Rebuild", "ru") }).ClickAsync();
        var progress = page.Locator("#rebuild-progress");
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-state", "running");
        var names = new[] { "Accounts", "AccountHealth", "Users", "OutgoingServers", "GeneralSettings" }
            .Select(n => product.Word("ViewName." + n, "ru")).ToArray();
        var said = await progress.InnerTextAsync();
        said.ShouldNotContain("«»");
        names.ShouldContain(n => said.Contains($"«{n}»"));

        // A reload would forget this mark: the progress must arrive in place.
        await page.EvaluateAsync("window.stayedOnThePage = true");
        await Assertions.Expect(progress).ToHaveAttributeAsync("data-state", "rebuilt", new() { Timeout = 120_000 });
        (await page.EvaluateAsync<bool>("window.stayedOnThePage === true")).ShouldBeTrue();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = product.Word("Diagnostics.Rebuild", "ru") })).ToBeEnabledAsync();
    }
}
