using System.Net;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Users;

[Collection(ProductCollection.Name)]
public sealed class when_an_administrator_manages_users(ProductFixture product)
{
    private static string UserIdIn(string usersPage, string login) =>
        Dom.Parse(usersPage).All("tr[data-login]").Single(row => row.GetAttribute("data-login") == login).GetAttribute("data-user")!;

    [Fact]
    public async Task every_page_but_sign_in_needs_a_signed_in_user()
    {
        using var anonymous = product.NewSession();

        foreach (var path in new[] { "/", "/Email/Settings/Accounts", "/Email/Settings/Accounts/Add", "/Admin/Users" })
        {
            var page = await anonymous.GetAsync(path);
            page.Status.ShouldBe(HttpStatusCode.Redirect, path);
            page.Location!.ToString().ShouldContain("/SignIn");
        }

        (await anonymous.GetAsync("/SignIn")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task a_wrong_password_does_not_sign_in_and_says_so()
    {
        using var session = product.NewSession();

        var page = await session.SubmitAsync("/SignIn", new() { ["Login"] = "admin", ["Password"] = "wrong-password" });

        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Dom.Texts("[role=alert]").ShouldContain(product.Word("SignIn.Failed"));
        (await session.GetAsync("/Email/Settings/Accounts")).Status.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task users_who_are_not_administrators_cannot_open_the_users_page()
    {
        using var user = await product.NewUserAsync();

        var page = await user.Session.GetAsync("/Admin/Users");

        page.Status.ShouldBe(HttpStatusCode.Redirect);
        page.Location!.ToString().ShouldContain("/Forbidden");
    }

    [Fact]
    public async Task a_deactivated_user_is_signed_out_and_cannot_sign_in_until_reactivated()
    {
        using var user = await product.NewUserAsync();
        using var admin = await product.AdministratorAsync();
        var id = UserIdIn((await admin.GetAsync("/Admin/Users")).Html, user.Login);

        await admin.SubmitAsync("/Admin/Users", new() { ["id"] = id, ["active"] = "false" }, handler: "SetActive");

        (await user.Session.GetAsync("/Email/Settings/Accounts")).Status.ShouldBe(HttpStatusCode.Redirect);
        using (var again = product.NewSession())
        {
            (await again.TrySignInAsync(user.Login, user.Password)).ShouldBeFalse();
        }

        await admin.SubmitAsync("/Admin/Users", new() { ["id"] = id, ["active"] = "true" }, handler: "SetActive");
        using var back = product.NewSession();
        (await back.TrySignInAsync(user.Login, user.Password)).ShouldBeTrue();
    }

    [Fact]
    public async Task a_reset_password_replaces_the_old_one()
    {
        using var user = await product.NewUserAsync();
        using var admin = await product.AdministratorAsync();
        var id = UserIdIn((await admin.GetAsync("/Admin/Users")).Html, user.Login);

        var tooShort = await admin.SubmitAsync($"/Admin/Users/ResetPassword/{id}", new() { ["Password"] = "short" });
        tooShort.Dom.Body.ShouldContain(product.Word("User.PasswordTooShort"));

        var reset = await admin.SubmitAsync($"/Admin/Users/ResetPassword/{id}", new() { ["Password"] = "a-brand-new-password" });
        reset.Status.ShouldBe(HttpStatusCode.Redirect);

        // The session signed in with the old password ends at its next request.
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Status.ShouldBe(HttpStatusCode.Redirect);

        using var withOld = product.NewSession();
        (await withOld.TrySignInAsync(user.Login, user.Password)).ShouldBeFalse();
        using var withNew = product.NewSession();
        (await withNew.TrySignInAsync(user.Login, "a-brand-new-password")).ShouldBeTrue();
    }

    [Fact]
    public async Task a_login_already_taken_is_refused()
    {
        using var user = await product.NewUserAsync();
        using var admin = await product.AdministratorAsync();

        var page = await admin.SubmitAsync("/Admin/Users/Add", new()
        {
            ["Input.Login"] = user.Login.ToUpperInvariant(), ["Input.Role"] = "User", ["Input.Password"] = "long-enough-password",
        });

        page.Dom.Body.ShouldContain(product.Word("User.LoginTaken"));
    }

    [Fact]
    public async Task an_administrator_cannot_deactivate_themselves()
    {
        using var admin = await product.AdministratorAsync();
        var id = UserIdIn((await admin.GetAsync("/Admin/Users")).Html, "admin");

        var page = await admin.SubmitAsync("/Admin/Users", new() { ["id"] = id, ["active"] = "false" }, handler: "SetActive");

        page.Dom.Body.ShouldContain(product.Word("User.CannotDeactivateSelf"));
        (await admin.GetAsync("/Admin/Users")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task signing_out_ends_the_session()
    {
        using var user = await product.NewUserAsync();

        var signedOut = await user.Session.SubmitAsync("/Email/Settings/Accounts", [], postTo: "/SignOut");

        signedOut.Status.ShouldBe(HttpStatusCode.Redirect);
        (await user.Session.GetAsync("/Email/Settings/Accounts")).Status.ShouldBe(HttpStatusCode.Redirect);
    }
}
