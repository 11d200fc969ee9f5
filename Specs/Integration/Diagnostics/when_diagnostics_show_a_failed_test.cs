using System.Globalization;
using System.Text.RegularExpressions;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Diagnostics;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Diagnostics;

/// <summary>
/// Admin » Diagnostics shows an account's last error as advice in the page's language, the server's words in a
/// details line: from the facts a failed test keeps, or, for a test recorded before they were kept, a generic line
/// and the stored detail. A rebuild replays the same health from the events. In the collection of the specs that
/// rebuild views, so that no other spec reads a view while it is rebuilt.
/// </summary>
[Collection(SharedSettingsCollection.Name)]
public sealed partial class when_diagnostics_show_a_failed_test(ProductFixture product)
{
    private IDocumentStore Store => product.Services.GetRequiredService<IDocumentStore>();

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    public async Task the_last_error_is_advice_in_the_pages_language_with_the_servers_words_and_a_rebuild_keeps_it(string culture)
    {
        using var user = await product.NewUserAsync();
        var advised = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Advised " + Guid.NewGuid().ToString("N")[..6]);
        var older = await product.AccountSendingAsAsync(user, await product.NewMailboxAsync(), "Older " + Guid.NewGuid().ToString("N")[..6]);
        var facts = new TestFailure("Authentication", "SignInRefused", "IMAP", "imap.example.com", 993, TransportSecurity.SslOnConnect, "anna@example.com",
            "[AUTHENTICATIONFAILED] Authentication failed.");
        await using (var session = Store.LightweightSession())
        {
            session.Events.Append(advised, new ConnectionTested(advised, false, "Authentication", "Authentication: refused", Guid.NewGuid(), DateTimeOffset.UtcNow, facts));
            // As recorded before the facts were kept.
            session.Events.Append(older, new ConnectionTested(older, false, "Authentication", "Authentication: 535 refused long ago", Guid.NewGuid(), DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        using var admin = await product.AdministratorAsync();
        await admin.SubmitAsync("/Admin/Diagnostics", new() { ["culture"] = culture, ["returnUrl"] = "/Admin/Diagnostics" }, postTo: "/Culture");
        var page = await admin.GetAsync("/Admin/Diagnostics");

        var advice = page.Dom.One($"#health tr[data-account=\"{advised}\"] [data-advice]");
        advice.GetAttribute("data-advice").ShouldBe("Advice.CheckPassword");
        advice.TextContent.ShouldMatch(Sentence(product.Word("Advice.CheckPassword", culture)).ToString());
        page.Dom.Text($"#health tr[data-account=\"{advised}\"] [data-server-words]")
            .ShouldBe(product.Word("Advice.ServerSaid", culture) + " [AUTHENTICATIONFAILED] Authentication failed.");
        var generic = page.Dom.One($"#health tr[data-account=\"{older}\"] [data-advice]");
        generic.GetAttribute("data-advice").ShouldBe("Advice.TestFailedSeeBelow");
        generic.TextContent.ShouldContain(product.Word("Advice.TestFailedSeeBelow", culture));
        page.Dom.Text($"#health tr[data-account=\"{older}\"] [data-server-words]").ShouldContain("Authentication: 535 refused long ago");

        var before = await HealthAsync(advised, older);
        await product.Services.GetRequiredService<ProjectionRebuild>().RunAsync();
        (await HealthAsync(advised, older)).ShouldBe(before);
        before[0].ShouldContain("SignInRefused");
    }

    private async Task<string[]> HealthAsync(params Guid[] accounts)
    {
        await using var session = Store.QuerySession();
        var serializer = Store.Options.Serializer();
        return [.. (await session.LoadManyAsync<AccountHealth>(accounts)).OrderBy(h => Array.IndexOf(accounts, h.Id)).Select(h => serializer.ToJson(h))];
    }

    /// <summary>The resource's sentence with its values filled in, whatever they are.</summary>
    private static Regex Sentence(string word) => new(string.Join(".*", Placeholder().Split(word).Select(Regex.Escape)));

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
