using System.Net;
using System.Text.RegularExpressions;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.History;

[Collection(ProductCollection.Name)]
public sealed class when_administrators_audit_the_organisation(ProductFixture product)
{
    [Fact]
    public async Task every_settings_change_is_listed_and_narrows_by_user_account_kind_and_days()
    {
        using var anna = await product.NewUserAsync();
        using var boris = await product.NewUserAsync();
        var annas = await product.AccountSendingAsAsync(anna, await product.NewMailboxAsync(), "Anna audited " + Guid.NewGuid().ToString("N")[..6]);
        await product.AccountSendingAsAsync(boris, await product.NewMailboxAsync(), "Boris audited " + Guid.NewGuid().ToString("N")[..6]);
        await boris.Session.SubmitAsync("/Email/Settings/General", new()
        {
            ["Input.CheckIntervalMinutes"] = "0", ["Input.Charset"] = "koi8-r", ["Input.PageSize"] = "20",
        });
        var annaId = await product.UserIdAsync(anna.Login);
        var borisId = await product.UserIdAsync(boris.Login);
        using var admin = await product.AdministratorAsync();

        var all = (await admin.GetAsync("/Admin/Audit")).Html;
        all.ShouldContain("Test " + anna.Login);
        all.ShouldContain("Test " + boris.Login);
        all.ShouldContain("Encoding changed");

        var onlyAnna = (await admin.GetAsync($"/Admin/Audit?user={annaId}")).Html;
        Regex.Matches(onlyAnna, "<td class=\"who\">([^<]*)</td>").Select(m => m.Groups[1].Value).Distinct().ShouldBe(["Test " + anna.Login]);

        var account = Regex.Match((await admin.GetAsync($"/Admin/Audit?account={annas}")).Html, "<table class=\"list\" id=\"audit\">.*?</table>", RegexOptions.Singleline).Value;
        account.ShouldContain($"/Email/Settings/Accounts/History/{annas}?asOf=");
        account.ShouldNotContain("Boris audited");

        var kind = (await admin.GetAsync($"/Admin/Audit?user={borisId}&kind=EncodingChanged")).Html;
        Regex.Matches(kind, "<tr data-kind=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ShouldBe(["EncodingChanged"]);

        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        (await admin.GetAsync($"/Admin/Audit?from={tomorrow}")).Html.ShouldNotContain("<tr data-kind=");

        // Each outgoing server has its history too, for its owner alone.
        await using (var session = product.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession())
        {
            var server = (await session.LoadAsync<MailAccounts.Domain.Accounts.Account>(annas))!.Outgoing!.ServerId!.Value;
            var history = await anna.Session.GetAsync($"/Email/Settings/OutgoingServers/History/{server}");
            history.Html.ShouldContain("Outgoing server configured");
            history.Html.ShouldContain("password changed");
            (await boris.Session.GetAsync($"/Email/Settings/OutgoingServers/History/{server}")).Status.ShouldBe(HttpStatusCode.NotFound);
        }

        var refused = await anna.Session.GetAsync("/Admin/Audit");
        (refused.Status == HttpStatusCode.NotFound || refused.Location?.ToString().Contains("/Forbidden", StringComparison.Ordinal) == true).ShouldBeTrue();
    }

    [Fact]
    public async Task one_persons_changes_are_found_however_many_changes_others_made_since()
    {
        using var anna = await product.NewUserAsync();
        using var boris = await product.NewUserAsync();
        var title = "Anna long ago " + Guid.NewGuid().ToString("N")[..6];
        await product.AccountSendingAsAsync(anna, await product.NewMailboxAsync(), title);
        var borisAccount = await product.AccountSendingAsAsync(boris, await product.NewMailboxAsync(), "Boris busy " + Guid.NewGuid().ToString("N")[..6]);
        var annaId = await product.UserIdAsync(anna.Login);
        var borisId = await product.UserIdAsync(boris.Login);

        // Boris tests his account 5,000 times after Anna's last change: many pages of the audit.
        await using (var session = product.Services.GetRequiredService<Marten.IDocumentStore>().LightweightSession())
        {
            session.Events.Append(borisAccount, Enumerable.Range(0, 5_000)
                .Select(_ => (object)new MailAccounts.Domain.Accounts.ConnectionTested(borisAccount, true, null, "OK", borisId, DateTimeOffset.UtcNow)).ToArray());
            await session.SaveChangesAsync();
        }

        using var admin = await product.AdministratorAsync();
        var annas = (await admin.GetAsync($"/Admin/Audit?user={annaId}")).Html;
        Regex.Matches(annas, "<td class=\"who\">([^<]*)</td>").Select(m => m.Groups[1].Value).Distinct().ShouldBe(["Test " + anna.Login]);
        annas.ShouldContain(title);

        var created = (await admin.GetAsync($"/Admin/Audit?user={annaId}&kind=AccountCreated")).Html;
        Regex.Matches(created, "<tr data-kind=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ShouldBe(["AccountCreated"]);

        (await admin.GetAsync("/Admin/Audit?kind=NoSuchKind")).Html.ShouldNotContain("<tr data-kind=");
    }
}
