using System.Net;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace MailAccounts.Specs.Integration.Accounts;

[Collection(ProductCollection.Name)]
public sealed class when_a_user_adds_an_account(ProductFixture product)
{
    private static Dictionary<string, string> Form(string title, string name, string address) => AccountForms.Valid(title, address, name);

    private static string HistoryPathIn(string listHtml) => AccountForms.HistoryPathIn(listHtml);

    [Fact]
    public async Task it_is_in_the_account_list_and_its_history_says_who_created_it()
    {
        using var user = await product.NewUserAsync();

        var saved = await user.Session.SubmitAsync(AccountForms.AddPage, Form("Sales <desk>", "Anna Smirnova", "anna@example.com"));
        saved.Status.ShouldBe(HttpStatusCode.Redirect);

        var list = await user.Session.GetAsync("/Email/Settings/Accounts");
        list.Html.ShouldContain("Sales &lt;desk&gt;");
        list.Html.ShouldContain("anna@example.com");

        var history = await user.Session.GetAsync(HistoryPathIn(list.Html));
        history.Status.ShouldBe(HttpStatusCode.OK);
        history.Html.ShouldContain("Account created");
        history.Html.ShouldContain("Test " + user.Login);
        history.Html.ShouldContain("<ins>anna@example.com</ins>");
        history.Html.ShouldContain("<ins>Sales &lt;desk&gt;</ins>");
    }

    [Fact]
    public async Task another_user_sees_neither_the_account_nor_its_history()
    {
        using var owner = await product.NewUserAsync();
        using var stranger = await product.NewUserAsync();
        await owner.Session.SubmitAsync(AccountForms.AddPage, Form("Private", "", "owner@example.com"));
        var historyPath = HistoryPathIn((await owner.Session.GetAsync("/Email/Settings/Accounts")).Html);
        historyPath.ShouldNotBeEmpty();

        (await stranger.Session.GetAsync("/Email/Settings/Accounts")).Html.ShouldNotContain("owner@example.com");
        (await stranger.Session.GetAsync(historyPath)).Status.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.Session.GetAsync($"/Email/Settings/Accounts/History/{Guid.NewGuid()}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("", "anna@example.com", "Enter a title for the account.")]
    [InlineData("Sales", "not-an-address", "This is not an e-mail address")]
    public async Task bad_input_is_explained_next_to_the_field_and_nothing_is_saved(string title, string address, string message)
    {
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync(AccountForms.AddPage, Form(title, "Kept name", address));

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Html.ShouldContain(message);
        page.Html.ShouldContain("value=\"Kept name\"");
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Html.ShouldContain("No accounts yet");
    }

    [Fact]
    public async Task a_title_longer_than_100_characters_is_refused()
    {
        using var user = await product.NewUserAsync();

        var page = await user.Session.SubmitAsync(AccountForms.AddPage, Form(new string('x', 101), "", "anna@example.com"));

        page.Html.ShouldContain("at most 100 characters");
    }

    [Fact]
    public async Task a_second_account_with_the_same_title_is_refused_but_another_user_may_use_it()
    {
        using var user = await product.NewUserAsync();
        using var other = await product.NewUserAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, Form("Support", "", "one@example.com"));

        var duplicate = await user.Session.SubmitAsync(AccountForms.AddPage, Form("support", "", "two@example.com"));
        duplicate.Html.ShouldContain("You already have an account with this title.");
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Html.ShouldNotContain("two@example.com");

        (await other.Session.SubmitAsync(AccountForms.AddPage, Form("Support", "", "two@example.com"))).Status
            .ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task the_pages_speak_russian_to_a_russian_reader()
    {
        using var user = await product.NewUserAsync();
        await user.Session.SubmitAsync("/Email/Settings/Accounts", new() { ["culture"] = "ru", ["returnUrl"] = "/Email/Settings/Accounts" }, postTo: "/Culture");

        var page = await user.Session.GetAsync("/Email/Settings/Accounts");

        page.Html.ShouldContain("Настройки");
        page.Html.ShouldContain("Учётные записи");
        page.Html.ShouldContain("Коммуникации");
        var refused = await user.Session.SubmitAsync(AccountForms.AddPage, Form("", "", "x"));
        refused.Html.ShouldContain("Введите название учётной записи.");
    }

    [Fact]
    public async Task a_form_posted_without_its_anti_forgery_token_is_refused()
    {
        using var user = await product.NewUserAsync();

        var page = await user.Session.PostWithoutTokenAsync(AccountForms.AddPage, Form("Forged", "", "forged@example.com"));

        page.Status.ShouldBe(HttpStatusCode.BadRequest);
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Html.ShouldNotContain("forged@example.com");
    }

    [Fact]
    public async Task two_adds_of_the_same_title_at_once_leave_one_account_and_tell_the_other_why()
    {
        using var user = await product.NewUserAsync();
        var owner = await product.UserIdAsync(user.Login);

        // Four requests at once, each in its own scope as four browser tabs would be.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            await using var scope = product.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Commands>()
                .InvokeAsync(new SaveAccount(new Actor(owner, false), null, null, new AccountForm("Twins", "", $"twin{i}@example.com",
                    IncomingProtocol.Imap, "imap.example.com", Security: TransportSecurity.SslOnConnect, Login: "twin"),
                    new Secret("twin-password"), null), CancellationToken.None);
        }));

        outcomes.Count(o => o.Succeeded).ShouldBe(1);
        outcomes.Where(o => !o.Succeeded).SelectMany(o => o.Violations)
            .ShouldAllBe(v => v.Field == "Title" && v.Code == AccountViolations.TitleTaken);
        (await product.AccountsOfAsync(owner)).Count(a => a.Title == "Twins").ShouldBe(1);
    }

    [Fact]
    public async Task an_empty_name_shows_as_empty_in_the_history()
    {
        using var user = await product.NewUserAsync();
        await user.Session.SubmitAsync(AccountForms.AddPage, Form("No name", "", "noname@example.com"));

        var history = await user.Session.GetAsync(HistoryPathIn((await user.Session.GetAsync("/Email/Settings/Accounts")).Html));

        history.Html.ShouldContain("<ins>(empty)</ins>");
    }
}
