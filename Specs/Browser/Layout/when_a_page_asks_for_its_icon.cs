using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Layout;

[Collection(BrowserCollection.Name)]
public sealed class when_a_page_asks_for_its_icon(ProductFixture product)
{
    [Fact]
    public async Task the_icon_is_served_and_no_request_of_the_pages_fails()
    {
        using var user = await product.NewUserAsync();
        var (accountId, _) = await product.AccountWithAMessageAsync(user, "Icon " + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        var failed = new List<string>();
        page.RequestFailed += (_, request) => failed.Add($"{request.Url} failed: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failed.Add($"{response.Url}: {response.Status}");
            }
        };

        foreach (var path in new[] { $"/Email?account={accountId}", $"/Email/Compose?account={accountId}", "/Email/Settings/Accounts", "/Email/Settings/General" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var icon = await page.Locator("link[rel='icon']").GetAttributeAsync("href");
            var answer = await page.APIRequest.GetAsync(icon!);
            answer.Status.ShouldBe(200);
            answer.Headers["content-type"].ShouldStartWith("image/svg+xml");
        }

        // A browser asks for /favicon.ico on its own where a page names no icon (a download, a plain-text answer).
        var ico = await page.APIRequest.GetAsync("/favicon.ico", new() { MaxRedirects = 0 });
        ico.Status.ShouldBe(200);
        ico.Headers["content-type"].ShouldStartWith("image/svg+xml");
        failed.ShouldBeEmpty();
    }
}
