using System.Globalization;
using System.Net;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Accounts;

/// <summary>
/// The account form's "Import into the system" part: the choice is one ImportChosen on the account's stream, History
/// reads it in both languages, and Settings » Accounts shows where the import stands.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_user_chooses_to_import_mail(ProductFixture product)
{
    private static string VersionIn(string html) => AccountForms.FormIn(html)["Input.Version"];

    private async Task<IReadOnlyList<object>> EventsAsync(Guid account) => (await product.EventsOfAsync(account)).Select(e => e.Data).ToArray();

    private async Task<(TestUser User, Guid Account, string Edit, string History, Dictionary<string, string> Form)> AccountAsync()
    {
        var user = await product.NewUserAsync();
        var form = AccountForms.Valid("Importing " + Guid.NewGuid().ToString("N")[..6], "import@example.com");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var list = (await user.Session.GetAsync("/Email/Settings/Accounts")).Html;
        var edit = AccountForms.EditPathIn(list);
        return (user, Guid.Parse(edit[^36..]), edit, AccountForms.HistoryPathIn(list), form.With("Input.Password", ""));
    }

    private async Task<Page> SaveAsync(TestUser user, string edit, Dictionary<string, string> form) =>
        await user.Session.SubmitAsync(edit, form.With("Input.Version", VersionIn((await user.Session.GetAsync(edit)).Html)));

    [Fact]
    public async Task a_new_account_records_no_import_and_its_form_offers_the_last_30_days()
    {
        var (user, account, edit, _, _) = await AccountAsync();
        using var _ = user;

        (await EventsAsync(account)).OfType<ImportChosen>().ShouldBeEmpty();
        var form = AccountForms.FormIn((await user.Session.GetAsync(edit)).Html);
        form["Input.ImportOn"].ShouldBe("false");
        form["Input.ImportAll"].ShouldBe("false");
        form["Input.ImportSince"].ShouldBe(ImportRules.DefaultSince(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task turning_import_on_from_a_day_records_it_once_and_history_reads_it_in_both_languages()
    {
        var (user, account, edit, history, form) = await AccountAsync();
        using var _ = user;

        (await SaveAsync(user, edit, form.With("Input.ImportOn", "true").With("Input.ImportAll", "false").With("Input.ImportSince", "2026-11-01")))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        // Saving the same choice again adds nothing.
        (await SaveAsync(user, edit, form.With("Input.ImportOn", "true").With("Input.ImportAll", "false").With("Input.ImportSince", "2026-11-01")))
            .Status.ShouldBe(HttpStatusCode.Redirect);

        var chosen = (await EventsAsync(account)).OfType<ImportChosen>().ShouldHaveSingleItem();
        (chosen.On, chosen.Since, chosen.Folders!.Count).ShouldBe((true, new DateOnly(2026, 11, 1), 0));

        var english = await user.Session.GetAsync(history);
        english.Events()[0].Event.ShouldBe(nameof(ImportChosen));
        var line = english.Dom.One($"#history tr[data-event={nameof(ImportChosen)}]").TextContent;
        line.ShouldContain(product.Word("Event.ImportChosen"));
        english.Dom.Texts($"#history tr[data-event={nameof(ImportChosen)}] .setting").ShouldBe([product.Word("Account.Import"), product.Word("Account.ImportFolders"), product.Word("Account.ImportSince")]);
        english.Changes().ShouldContain((null, "on"));
        english.Changes().ShouldContain((null, "the monitored folders"));
        english.Changes().ShouldContain((null, "1 November 2026"));

        await user.Session.SubmitAsync(history, new() { ["culture"] = "ru", ["returnUrl"] = history }, postTo: "/Culture");
        var russian = await user.Session.GetAsync(history);
        russian.Dom.One($"#history tr[data-event={nameof(ImportChosen)}]").TextContent.ShouldContain("Выбраны настройки импорта");
        russian.Changes().ShouldContain((null, "включён"));
        russian.Changes().ShouldContain((null, "проверяемые папки"));
        russian.Changes().ShouldContain((null, "1 ноября 2026"));
    }

    [Fact]
    public async Task all_mail_and_chosen_folders_are_one_more_choice_and_history_shows_before_and_after()
    {
        var (user, account, edit, history, form) = await AccountAsync();
        using var _ = user;
        var on = form.With("Input.ImportOn", "true").With("Input.ImportAll", "false").With("Input.ImportSince", "2026-10-15");
        (await SaveAsync(user, edit, on)).Status.ShouldBe(HttpStatusCode.Redirect);

        var page = await user.Session.GetAsync(edit);
        var fields = AccountForms.FormIn(page.Html);
        fields["Input.ImportOn"].ShouldBe("true");
        fields["Input.ImportSince"].ShouldBe("2026-10-15");
        (await user.Session.SubmitAsync(edit, on.With("Input.ImportAll", "true").With("Input.ImportFolders", "Archive").With("Input.Version", fields["Input.Version"])))
            .Status.ShouldBe(HttpStatusCode.Redirect);

        var chosen = (await EventsAsync(account)).OfType<ImportChosen>().ToArray();
        chosen.Length.ShouldBe(2);
        (chosen[1].On, chosen[1].Since, string.Join(",", chosen[1].Folders!)).ShouldBe((true, (DateOnly?)null, "Archive"));
        var changes = (await user.Session.GetAsync(history)).Changes();
        changes.ShouldContain(("15 October 2026", "all mail"));
        changes.ShouldContain(("the monitored folders", "Archive"));
        AccountForms.FormIn((await user.Session.GetAsync(edit)).Html)["Input.ImportAll"].ShouldBe("true");

        // Off again: one more choice, and the list says so.
        (await SaveAsync(user, edit, on.With("Input.ImportOn", "false").With("Input.ImportAll", "true").With("Input.ImportFolders", "Archive")))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        (await EventsAsync(account)).OfType<ImportChosen>().Last().On.ShouldBeFalse();
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.One($"#accounts tr[data-account='{account}'] [data-import-progress]")
            .GetAttribute("data-import-state").ShouldBe("off");
    }

    [Fact]
    public async Task choose_in_the_import_part_offers_the_servers_folders_and_the_ticked_ones_are_imported()
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var title = "Chosen " + Guid.NewGuid().ToString("N")[..6];
        var typed = AccountForms.For(product, mailbox, title: title).With("Input.ImportOn", "true").With("Input.ImportAll", "true").With("Input.ImportFolders", "Sent");

        var choice = await user.Session.SubmitAsync(AccountForms.AddPage, typed, "ImportFolders");

        choice.Status.ShouldBe(HttpStatusCode.OK);
        var offered = ConnectionReport.Values(choice.Html, "Input.ImportFolders");
        foreach (var folder in new[] { "INBOX", "Sent", "Trash", "Drafts", "Junk" })
        {
            offered.ShouldContain(folder);
        }

        // The folder typed before is ticked; the monitored folders are not offered again here, and stay as they were.
        var form = AccountForms.FormIn(choice.Html);
        form.All("Input.ImportFolders").ShouldBe(["Sent"]);
        form.All("Input.MonitoredFolders").ShouldBe(["INBOX"]);

        form.Add("Input.ImportFolders", "Junk");
        form["Input.Password"] = mailbox.Password;
        (await user.Session.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var account = (await user.Session.GetAsync("/Email/Settings/Accounts")).AccountId(title);
        var chosen = (await EventsAsync(account)).OfType<ImportChosen>().ShouldHaveSingleItem();
        chosen.Folders.ShouldBe(["Sent", "Junk"]);
        AccountForms.FormIn((await user.Session.GetAsync($"/Email/Settings/Accounts/Edit/{account}")).Html).All("Input.ImportFolders").ShouldBe(["Sent", "Junk"]);
    }

    [Fact]
    public async Task a_day_in_the_future_is_refused_next_to_the_field_and_nothing_is_saved()
    {
        var (user, account, edit, _, form) = await AccountAsync();
        using var _ = user;
        var before = (await EventsAsync(account)).Count;
        var future = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var refused = await SaveAsync(user, edit, form.With("Input.ImportOn", "true").With("Input.ImportAll", "false")
            .With("Input.ImportSince", future).With("Input.Title", "Renamed " + Guid.NewGuid().ToString("N")[..6]));

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.ErrorAt("Input.ImportSince").ShouldBe(product.Word(AccountViolations.ImportSinceInFuture));
        AccountForms.FormIn(refused.Html)["Input.ImportSince"].ShouldBe(future);
        (await EventsAsync(account)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task the_accounts_list_shows_a_running_import_as_n_of_m_and_an_idle_one_with_its_last_run_and_the_waiting()
    {
        var (user, account, edit, _, form) = await AccountAsync();
        using var _ = user;
        (await SaveAsync(user, edit, form.With("Input.ImportOn", "true").With("Input.ImportAll", "true"))).Status.ShouldBe(HttpStatusCode.Redirect);
        var cell = $"#accounts tr[data-account='{account}'] [data-import-progress='{account}']";

        var never = (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.One(cell);
        never.GetAttribute("data-import-state").ShouldBe("never");
        never.TextContent.ShouldContain(product.Word("Import.NotRunYet"));

        await StoreAsync(new ImportProgress(account, true, 12, 40, DateTimeOffset.UtcNow.AddMinutes(-1), null, null, 5));
        var running = (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.One(cell);
        running.GetAttribute("data-import-state").ShouldBe("running");
        running.QuerySelector("[data-import-text]")!.TextContent.ShouldBe(string.Format(CultureInfo.InvariantCulture, product.Word("Import.Running"), 12, 40));
        var bar = running.QuerySelector("progress")!;
        (bar.GetAttribute("value"), bar.GetAttribute("max"), bar.HasAttribute("hidden")).ShouldBe(("12", "40", false));

        await StoreAsync(new ImportProgress(account, false, 40, 40, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow, null, 38));
        var idle = (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.One(cell);
        idle.GetAttribute("data-import-state").ShouldBe("idle");
        idle.QuerySelector("[data-import-text]")!.TextContent.ShouldEndWith(": 38");
        idle.QuerySelector("progress")!.HasAttribute("hidden").ShouldBeTrue();
        idle.QuerySelector("[data-import-waiting]")!.HasAttribute("hidden").ShouldBeTrue();

        await StoreAsync(new ImportProgress(account, false, 40, 40, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow, "the server closed the connection", 38));
        await QuarantineAsync(account);
        var failed = (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.One(cell);
        failed.GetAttribute("data-import-state").ShouldBe("failed");
        failed.TextContent.ShouldContain("the server closed the connection");
        var waiting = failed.QuerySelector("[data-import-waiting]")!;
        waiting.HasAttribute("hidden").ShouldBeFalse();
        waiting.GetAttribute("href").ShouldBe("/Email/Imported/Failed");
        waiting.TextContent.ShouldBe(string.Format(CultureInfo.InvariantCulture, product.Word("Import.Waiting"), 1));
    }

    [Fact]
    public async Task the_progress_endpoint_answers_for_the_users_own_accounts_only()
    {
        var (owner, account, edit, _, form) = await AccountAsync();
        using var _ = owner;
        (await SaveAsync(owner, edit, form.With("Input.ImportOn", "true").With("Input.ImportAll", "true"))).Status.ShouldBe(HttpStatusCode.Redirect);
        await StoreAsync(new ImportProgress(account, true, 3, 9, DateTimeOffset.UtcNow, null, null, 0));
        using var stranger = await product.NewUserAsync();
        using var admin = await product.AdministratorAsync();

        var mine = await ProgressAsync(owner.Session);
        var entry = mine.RootElement.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("account").GetGuid() == account);
        (entry.GetProperty("state").GetString(), entry.GetProperty("done").GetInt32(), entry.GetProperty("total").GetInt32()).ShouldBe(("running", 3, 9));
        entry.GetProperty("text").GetString().ShouldBe(string.Format(CultureInfo.InvariantCulture, product.Word("Import.Running"), 3, 9));
        mine.RootElement.GetProperty("running").GetBoolean().ShouldBeTrue();

        foreach (var other in new[] { stranger.Session, admin })
        {
            var theirs = await ProgressAsync(other);
            theirs.RootElement.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account").GetGuid()).ShouldNotContain(account);
            theirs.RootElement.GetRawText().ShouldNotContain(account.ToString());
        }

        using var anonymous = product.NewSession();
        (await anonymous.GetAsync("/Email/Imported/Progress")).Status.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task an_administrator_turns_import_on_for_a_group_account_and_only_the_users_granted_it_see_its_import()
    {
        using var admin = await product.AdministratorAsync();
        using var granted = await product.NewUserAsync();
        using var other = await product.NewUserAsync();
        var title = "Shared import " + Guid.NewGuid().ToString("N")[..6];
        var group = await product.GroupAccountAsync(admin, await product.NewMailboxAsync(), title);
        await product.GrantAsync(admin, group, granted.Login);

        var edit = $"/Email/Settings/Accounts/Edit/{group}";
        var form = AccountForms.FormIn((await admin.GetAsync(edit)).Html);
        form.All("Input.ImportOn").ShouldContain("false");
        form["Input.ImportOn"] = "true";
        form["Input.ImportAll"] = "false";
        form["Input.ImportSince"] = "2026-09-01";
        (await admin.PostAsync(form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var chosen = (await EventsAsync(group)).OfType<ImportChosen>().ShouldHaveSingleItem();
        (chosen.On, chosen.Since).ShouldBe((true, new DateOnly(2026, 9, 1)));

        await StoreAsync(new ImportProgress(group, true, 2, 7, DateTimeOffset.UtcNow, null, null, 0));
        (await ListedFor(granted)).ShouldContain(group);
        (await ListedFor(other)).ShouldNotContain(group);
        (await granted.Session.GetAsync("/Email/Settings/Accounts")).Dom.One($"#accounts [data-import-progress='{group}']")
            .GetAttribute("data-import-state").ShouldBe("running");

        async Task<IReadOnlyList<Guid>> ListedFor(TestUser who) =>
            [.. (await ProgressAsync(who.Session)).RootElement.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account").GetGuid())];
    }

    private static async Task<System.Text.Json.JsonDocument> ProgressAsync(UserSession session)
    {
        using var response = await session.GetResponseAsync("/Email/Imported/Progress");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task StoreAsync(ImportProgress progress)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(progress);
        await session.SaveChangesAsync();
    }

    /// <summary>A message of the account that could not be imported, as the importer records it.</summary>
    private async Task QuarantineAsync(Guid account)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var id = Guid.CreateVersion7();
        session.Events.StartStream<QuarantinedMessage>(id, new MessageQuarantined(id, new LetterPlace(account, "INBOX", 1, "7"), "no header", 1, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }
}
