using System.Net;
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

        var all = (await admin.GetAsync("/Admin/Audit")).Dom;
        all.Texts("#audit [data-who]").ShouldContain("Test " + anna.Login);
        all.Texts("#audit [data-who]").ShouldContain("Test " + boris.Login);
        Kinds(all).ShouldContain("EncodingChanged");

        var onlyAnna = (await admin.GetAsync($"/Admin/Audit?user={annaId}")).Dom;
        onlyAnna.Texts("#audit [data-who]").Distinct().ShouldBe(["Test " + anna.Login]);

        var account = (await admin.GetAsync($"/Admin/Audit?account={annas}")).Dom;
        account.All("#audit [data-where] a").Select(a => a.GetAttribute("href")).ShouldContain(href => href!.StartsWith($"/Email/Settings/Accounts/History/{annas}?asOf="));
        account.Text("#audit").ShouldNotContain("Boris audited");

        var kind = (await admin.GetAsync($"/Admin/Audit?user={borisId}&kind=EncodingChanged")).Dom;
        Kinds(kind).ShouldBe(["EncodingChanged"]);

        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        Kinds((await admin.GetAsync($"/Admin/Audit?from={tomorrow}")).Dom).ShouldBeEmpty();

        // Each outgoing server has its history too, for its owner alone.
        await using (var session = product.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession())
        {
            var server = (await session.LoadAsync<MailAccounts.Domain.Accounts.Account>(annas))!.Outgoing!.ServerId!.Value;
            var history = await anna.Session.GetAsync($"/Email/Settings/OutgoingServers/History/{server}");
            history.Events().Select(e => e.Event).ShouldContain(nameof(MailAccounts.Domain.Outgoing.OutgoingServerConfigured));
            history.Changes().ShouldContain(c => c.After == product.Word("History.PasswordChanged"));
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
        var annas = (await admin.GetAsync($"/Admin/Audit?user={annaId}")).Dom;
        annas.Texts("#audit [data-who]").Distinct().ShouldBe(["Test " + anna.Login]);
        annas.Texts("#audit [data-where]").ShouldContain(where => where.Contains(title));

        var created = (await admin.GetAsync($"/Admin/Audit?user={annaId}&kind=AccountCreated")).Dom;
        Kinds(created).ShouldBe(["AccountCreated"]);

        Kinds((await admin.GetAsync("/Admin/Audit?kind=NoSuchKind")).Dom).ShouldBeEmpty();
    }

    private static IReadOnlyList<string> Kinds(Dom audit) => audit.All("tr[data-kind]").Select(row => row.GetAttribute("data-kind")!).ToArray();
}
