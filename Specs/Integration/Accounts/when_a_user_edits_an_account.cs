using System.Net;
using MailAccounts.Domain.Accounts;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Accounts;

[Collection(ProductCollection.Name)]
public sealed class when_a_user_edits_an_account(ProductFixture product)
{
    /// <summary>The version the form was loaded at, as the browser posts it back.</summary>
    private static string VersionIn(string html) => AccountForms.FormIn(html)["Input.Version"];

    private async Task<IReadOnlyList<object>> EventsAsync(string editPath) =>
        (await product.EventsOfAsync(Guid.Parse(editPath[^36..]))).Select(e => e.Data).ToArray();

    private async Task<(TestUser User, string EditPath, string HistoryPath, Dictionary<string, string> Form)> AccountAsync()
    {
        var user = await product.NewUserAsync();
        var form = AccountForms.Valid("Editable " + Guid.NewGuid().ToString("N")[..6], "edit@example.com");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var list = (await user.Session.GetAsync("/Email/Settings/Accounts")).Html;
        return (user, AccountForms.EditPathIn(list), AccountForms.HistoryPathIn(list), form);
    }

    [Fact]
    public async Task only_what_changed_is_appended_and_shown_with_before_and_after()
    {
        var (user, edit, history, form) = await AccountAsync();
        using var _ = user;
        var version = VersionIn((await user.Session.GetAsync(edit)).Html);
        var before = await EventsAsync(edit);

        var saved = await user.Session.SubmitAsync(edit, form.With("Input.Port", "995").With("Input.Version", version));

        saved.Status.ShouldBe(HttpStatusCode.Redirect);
        var after = await EventsAsync(edit);
        // Another port needs the password typed again, which is a change of its own.
        var appended = after.Skip(before.Count).ToArray();
        appended.Select(e => e.GetType()).ShouldBe([typeof(IncomingServerConfigured), typeof(CredentialsChanged)], ignoreOrder: true);
        before.OfType<IncomingServerConfigured>().Last().Port.ShouldBe(993);
        appended.OfType<IncomingServerConfigured>().Single().Port.ShouldBe(995);

        // The history shows each appended change as an entry of its own.
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument((await user.Session.GetAsync(history)).Html)
            .QuerySelectorAll("[data-version]").Length.ShouldBe(after.Count);
    }

    [Fact]
    public async Task saving_the_unchanged_form_appends_nothing()
    {
        var (user, edit, history, form) = await AccountAsync();
        using var _ = user;
        var before = await EventsAsync(edit);

        (await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Version", VersionIn((await user.Session.GetAsync(edit)).Html))))
            .Status.ShouldBe(HttpStatusCode.Redirect);

        (await EventsAsync(edit)).Count.ShouldBe(before.Count);
    }

    [Fact]
    public async Task the_stored_password_never_comes_back_and_an_empty_field_keeps_it()
    {
        var (user, edit, history, form) = await AccountAsync();
        using var _ = user;

        var page = await user.Session.GetAsync(edit);
        page.Html.ShouldNotContain(form["Input.Password"]);
        AccountForms.FormIn(page.Html)["Input.Password"].ShouldBeEmpty();

        var before = (await EventsAsync(edit)).OfType<CredentialsChanged>().Count();
        (await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Version", VersionIn(page.Html)))).Status.ShouldBe(HttpStatusCode.Redirect);
        (await EventsAsync(edit)).OfType<CredentialsChanged>().Count().ShouldBe(before);

        await user.Session.SubmitAsync(edit, form.With("Input.Password", "a-new-password").With("Input.Version", VersionIn((await user.Session.GetAsync(edit)).Html)));
        (await EventsAsync(edit)).OfType<CredentialsChanged>().Count().ShouldBe(before + 1);
        (await user.Session.GetAsync(history)).Html.ShouldNotContain("a-new-password");
    }

    [Fact]
    public async Task of_two_people_saving_the_same_version_the_second_is_told_to_reload_and_nothing_is_lost()
    {
        var (user, edit, history, form) = await AccountAsync();
        using var _ = user;
        var version = VersionIn((await user.Session.GetAsync(edit)).Html);

        (await user.Session.SubmitAsync(edit, form.With("Input.Port", "995").With("Input.Version", version)))
            .Status.ShouldBe(HttpStatusCode.Redirect);
        var second = await user.Session.SubmitAsync(edit, form.With("Input.Port", "1993").With("Input.Version", version));

        second.Status.ShouldBe(HttpStatusCode.OK);
        second.Html.ShouldContain("Someone else changed this at the same time");
        AccountForms.FormIn(second.Html)["Input.Port"].ShouldBe("1993");
        var ports = (await EventsAsync(edit)).OfType<IncomingServerConfigured>().Select(e => e.Port).ToArray();
        ports[^1].ShouldBe(995);
        ports.ShouldNotContain(1993);
    }

    [Fact]
    public async Task deleting_asks_first_then_the_account_is_gone_from_the_list_and_its_pages()
    {
        var (user, edit, history, form) = await AccountAsync();
        using var _ = user;
        var delete = edit.Replace("/Edit/", "/Delete/", StringComparison.Ordinal);

        (await user.Session.GetAsync(delete)).Html.ShouldContain("Delete it?");
        (await user.Session.SubmitAsync(delete, [])).Status.ShouldBe(HttpStatusCode.Redirect);

        (await user.Session.GetAsync("/Email/Settings/Accounts")).Html.ShouldNotContain(form["Input.Title"]);
        (await user.Session.GetAsync(edit)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await user.Session.GetAsync(history)).Status.ShouldBe(HttpStatusCode.NotFound);

        // The title is free again.
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task another_users_account_cannot_be_edited_or_deleted()
    {
        var (owner, edit, _, form) = await AccountAsync();
        using var __ = owner;
        using var stranger = await product.NewUserAsync();

        (await stranger.Session.GetAsync(edit)).Status.ShouldBe(HttpStatusCode.NotFound);
        var forgedEdit = await stranger.Session.SubmitAsync(AccountForms.AddPage, form.With("Input.Title", "Taken over"), postTo: edit);
        forgedEdit.Status.ShouldBe(HttpStatusCode.NotFound);
        var forgedDelete = await stranger.Session.SubmitAsync(AccountForms.AddPage, [], postTo: edit.Replace("/Edit/", "/Delete/", StringComparison.Ordinal));
        forgedDelete.Status.ShouldBe(HttpStatusCode.NotFound);
        (await owner.Session.GetAsync(edit)).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_test_on_the_edit_page_does_not_stop_the_form_from_saving()
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var form = AccountForms.For(product, mailbox, title: "Tested then saved");
        (await user.Session.SubmitAsync(AccountForms.AddPage, form)).Status.ShouldBe(HttpStatusCode.Redirect);
        var edit = AccountForms.EditPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html);
        var version = VersionIn((await user.Session.GetAsync(edit)).Html);

        var tested = await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Version", version), "Test");
        ConnectionReport.In(tested.Html).Passed.ShouldBeTrue();

        var saved = await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Name", "Anna S.").With("Input.Version", VersionIn(tested.Html)));
        saved.Status.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task the_saved_password_is_never_sent_to_another_server()
    {
        var mailbox = await product.NewMailboxAsync();
        using var user = await product.NewUserAsync();
        var form = AccountForms.For(product, mailbox, title: "Guarded");
        await user.Session.SubmitAsync(AccountForms.AddPage, form);
        var edit = AccountForms.EditPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html);

        var redirected = await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Host", "localhost"), "Test");

        var report = ConnectionReport.In(redirected.Html);
        report.Refusal.ShouldBe(AccountViolations.PasswordRequired);
        report.Stages.ShouldBeEmpty("no server was contacted");
    }

    [Theory]
    [InlineData("Input.Host", "imap.attacker.example")]
    [InlineData("Input.Port", "10993")]
    [InlineData("Input.Protocol", "Pop3")]
    public async Task when_done_names_another_server_without_the_password_typed_again_nothing_is_saved(string field, string value)
    {
        var (user, edit, _, form) = await AccountAsync();
        using var _ = user;
        var accountId = Guid.Parse(edit[^36..]);
        var page = await user.Session.GetAsync(edit);
        var before = await product.EventsOfAsync(accountId);
        var pin = $"imap.attacker.example {new string('A', 64)}";

        var refused = await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With(field, value)
            .With("Input.Port", field == "Input.Port" ? value : "993").With("Input.TrustedCertificates", pin).With("Input.Version", VersionIn(page.Html)));

        refused.Status.ShouldBe(HttpStatusCode.OK);
        refused.Html.ShouldContain("The saved password is sent only to the server and login it was saved for.");
        (await product.EventsOfAsync(accountId)).Select(e => e.Id).ShouldBe(before.Select(e => e.Id));
        var account = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).Single(a => a.Id == accountId);
        account.Incoming!.Host.ShouldBe("imap.example.com");
        account.TrustedCertificates.ShouldBeEmpty();

        // Typed again, the password may go to the new server.
        var retyped = await user.Session.SubmitAsync(edit, form.With(field, value)
            .With("Input.Port", field == "Input.Port" ? value : "993").With("Input.Version", VersionIn(page.Html)));
        retyped.Status.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task when_done_names_another_server_in_russian_the_refusal_says_why_in_russian()
    {
        var (user, edit, _, form) = await AccountAsync();
        using var _ = user;
        await user.Session.SubmitAsync("/Email/Settings/Accounts", new() { ["culture"] = "ru", ["returnUrl"] = "/Email/Settings/Accounts" }, postTo: "/Culture");
        var page = await user.Session.GetAsync(edit);

        var refused = await user.Session.SubmitAsync(edit, form.With("Input.Password", "").With("Input.Host", "imap.attacker.example")
            .With("Input.Version", VersionIn(page.Html)));

        refused.Html.ShouldContain("Сохранённый пароль отправляется только на тот сервер");
    }

    [Fact]
    public async Task a_stranger_cannot_run_tests_on_another_users_account()
    {
        var mailbox = await product.NewMailboxAsync();
        using var owner = await product.NewUserAsync();
        var form = AccountForms.For(product, mailbox, title: "Not yours");
        await owner.Session.SubmitAsync(AccountForms.AddPage, form);
        var edit = AccountForms.EditPathIn((await owner.Session.GetAsync("/Email/Settings/Accounts")).Html);
        using var stranger = await product.NewUserAsync();

        foreach (var handler in new[] { "Test", "Folders", "SendTest" })
        {
            var answer = await stranger.Session.SubmitAsync(AccountForms.AddPage, form.With("Input.Password", "").With("Input.TestRecipient", mailbox.Address),
                postTo: $"{edit}?handler={handler}");
            answer.Status.ShouldBe(HttpStatusCode.NotFound, handler);
        }
    }
}
