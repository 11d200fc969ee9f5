using MailAccounts.Specs.Support;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser;

/// <summary>Find settings as a person uses it: the address and password typed, the servers filled in place, tested, saved.</summary>
[Collection(DiscoveryCollection.Name)]
public sealed class when_a_person_finds_settings_from_the_address_in_the_browser(DiscoveryFixture product)
{
    [Fact]
    public async Task finding_settings_fills_the_form_says_where_they_came_from_and_the_test_passes_before_done()
    {
        var mailbox = await product.NewMailboxAsync();
        var address = mailbox.Address.Split('@')[0] + "@" + DiscoveryFixture.AutoconfigDomain;
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);

        await page.GotoAsync(AccountForms.AddPage);
        await page.GetByLabel("Title").FillAsync("Found by address");
        await page.GetByLabel("Name", new() { Exact = true }).First.FillAsync("Anna Petrova");
        await page.Locator("#Input_Password").FillAsync(mailbox.Password);
        await page.Locator("#Input_Address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find settings" }).ClickAsync();

        var report = page.Locator("#discovery-report [data-discovery]");
        await Assertions.Expect(report).ToHaveAttributeAsync("data-source", "Autoconfig");
        await Assertions.Expect(report).ToContainTextAsync("Settings of Example Mail of auto.test from the autoconfig document of auto.test");
        await Assertions.Expect(page.Locator("#Input_Host")).ToHaveValueAsync(DiscoveryFixture.MailHost);
        await Assertions.Expect(page.Locator("#Input_Port")).ToHaveValueAsync(product.MailServer.Endpoints.Imaps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#Input_Login")).ToHaveValueAsync(mailbox.Address);
        await Assertions.Expect(page.Locator("#new-server")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#Input_NewServerHost")).ToHaveValueAsync(DiscoveryFixture.MailHost);
        // The script filled the form in place: the password typed is still there.
        await Assertions.Expect(page.Locator("#Input_Password")).ToHaveValueAsync(mailbox.Password);
        // The report as shown is as accessible as the rest of the form.
        (await page.RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id).ShouldBeEmpty();

        await page.GetByRole(AriaRole.Button, new() { Name = "Test settings" }).ClickAsync();
        await Assertions.Expect(page.Locator("#incoming-report [data-report]")).ToHaveAttributeAsync("data-report", "passed");

        await page.Locator("#Input_NewServerPassword").FillAsync(mailbox.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        var row = page.Locator("#accounts tbody tr", new() { HasText = "Found by address" });
        await Assertions.Expect(row).ToContainTextAsync(address);
    }

    [Fact]
    public async Task typing_an_address_while_the_servers_are_empty_finds_the_settings_by_itself()
    {
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);

        await page.GotoAsync(AccountForms.AddPage);
        await page.Locator("#Input_Address").FillAsync("anna@" + DiscoveryFixture.SrvDomain);
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.Locator("#Input_Address").BlurAsync(), response => response.Url.Contains("handler=Discover", StringComparison.Ordinal));

        await Assertions.Expect(page.Locator("#discovery-report [data-discovery]")).ToHaveAttributeAsync("data-source", "Srv");
        await Assertions.Expect(page.Locator("#Input_Host")).ToHaveValueAsync(DiscoveryFixture.MailHost);
        // The answer came as a line per step, in the order taken, before the report: what the page shows while it runs.
        var lines = (await answer.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToArray();
        lines[..^1].Select(l => l.GetProperty("kind").GetString()).ShouldBe(["Preset", "Autoconfig", "WellKnown", "Srv"]);
        lines[3].GetProperty("step").GetString().ShouldBe("DNS SRV records srv.test: found");
        lines[^1].GetProperty("html").GetString()!.ShouldContain("data-source=\"Srv\"");
    }

    /// <summary>
    /// The lookup's answer is held back (the browser's request waits) while the person goes on typing: a login typed
    /// meanwhile stays, and an answer for an address since changed fills nothing and is not shown.
    /// </summary>
    [Fact]
    public async Task what_the_person_types_while_the_lookup_runs_is_kept()
    {
        using var user = await product.NewUserAsync();
        var browser = await product.BrowserAsync();
        var page = await browser.SignedInPageAsync(user);
        var held = new List<(IRoute Route, TaskCompletionSource Release)>();
        await page.RouteAsync(url => url.Contains("handler=Discover", StringComparison.Ordinal), async route =>
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (held)
            {
                held.Add((route, release));
            }

            await release.Task;
            await route.ContinueAsync();
        });
        async Task ReleaseAsync(int count)
        {
            for (var waited = 0; held.Count < count; waited++)
            {
                waited.ShouldBeLessThan(100, "the lookup to be asked");
                await Task.Delay(50);
            }

            held[count - 1].Release.SetResult();
        }

        await page.GotoAsync(AccountForms.AddPage);
        await page.Locator("#Input_Address").FillAsync("anna@" + DiscoveryFixture.SrvDomain);
        await page.Locator("#Input_Login").FillAsync("anna-own-login");
        await ReleaseAsync(1);

        await Assertions.Expect(page.Locator("#discovery-report [data-discovery]")).ToHaveAttributeAsync("data-source", "Srv");
        await Assertions.Expect(page.Locator("#Input_Host")).ToHaveValueAsync(DiscoveryFixture.MailHost);
        await Assertions.Expect(page.Locator("#Input_Login")).ToHaveValueAsync("anna-own-login");

        // Asked again, then the address changed before the answer: the answer is for the old address and fills nothing.
        await page.Locator("#Input_Host").FillAsync("imap.example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find settings" }).ClickAsync();
        await page.Locator("#Input_Address").FillAsync("anna@example.com");
        await ReleaseAsync(2);

        await Assertions.Expect(page.Locator("[data-discover]")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#discovery-report [data-discovery]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#Input_Host")).ToHaveValueAsync("imap.example.com");
    }
}
