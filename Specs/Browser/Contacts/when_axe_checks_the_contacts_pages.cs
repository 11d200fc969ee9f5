using Deque.AxeCore.Playwright;
using MailAccounts.Specs.Browser.Layout;
using MailAccounts.Specs.Integration.Contacts;
using MailAccounts.Specs.Support;
using Microsoft.Playwright;

namespace MailAccounts.Specs.Browser.Contacts;

/// <summary>axe finds no serious or critical violation on the contacts pages, with an address marked invalid among them, in either language.</summary>
[Collection(ProductCollection.Name)]
public sealed class when_axe_checks_the_contacts_pages(ProductFixture product)
{
    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_contacts_pages_have_no_serious_violation(string culture)
    {
        using var user = await product.NewUserAsync();
        var tag = Integration.Contacts.Contacts.Unique("axe");
        var id = await user.Session.AddContactAsync("Axe " + tag, "Axe & Co", $"axe-{tag}@specs.test", $"office-{tag}@example.com");
        await product.MarkInvalidAsync($"axe-{tag}@specs.test", Guid.NewGuid(), "5.1.1", "User unknown", DateTimeOffset.UtcNow.AddHours(-1));
        var page = await (await product.BrowserAsync()).SignedInPageAsync(user);
        await page.GotoAsync("/Contacts");
        await page.InLanguageAsync(culture);

        var found = new List<string>();
        foreach (var path in new[] { $"/Contacts?q={tag}", $"/Contacts/Contact?id={id}", "/Contacts/Edit", $"/Contacts/Edit?id={id}", "/Contacts/Import", $"/Contacts/History?id={id}" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var result = await page.RunAxe();
            found.AddRange(result.Violations
                .Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{path}: {v.Id} ({v.Impact}) at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}"));
        }

        found.ShouldBeEmpty();
    }
}
