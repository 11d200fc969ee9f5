using System.Net;
using Marten;
using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Users;

/// <summary>
/// A sign-in cookie is worth only as much as the session it names on the server: a copy of it (a shared computer,
/// a proxy's log, malware) stops working when its owner signs out, and no cookie outlives the absolute lifetime.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed class when_a_session_ends(ProductFixture product)
{
    private const string AuthCookie = "MailAccounts.Auth";

    [Fact]
    public async Task a_copied_cookie_is_refused_once_its_owner_signs_out()
    {
        var (browser, cookies, user, sessionId) = await SignedInAsync();
        using var _ = browser;
        using var copy = CopyOf(cookies);
        (await copy.GetAsync("/Email/Settings/Accounts")).StatusCode.ShouldBe(HttpStatusCode.OK, "the copy works while the session lasts");

        (await browser.SubmitAsync("/Email/Settings/Accounts", [], postTo: "/SignOut")).Status.ShouldBe(HttpStatusCode.Redirect);

        using var after = await copy.GetAsync("/Email/Settings/Accounts");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.ToString().ShouldContain("/SignIn");
        (await SessionsOfAsync(user)).ShouldNotContain(s => s.Id == sessionId);
    }

    [Fact]
    public async Task signing_out_ends_only_that_session_not_the_users_others()
    {
        var (first, _, user, sessionId) = await SignedInAsync();
        using var __ = first;
        using var second = product.NewSession();
        await second.SignInAsync(user.Login, user.Password);

        await first.SubmitAsync("/Email/Settings/Accounts", [], postTo: "/SignOut");

        (await first.GetAsync("/Email/Settings/Accounts")).Status.ShouldBe(HttpStatusCode.Redirect);
        (await second.GetAsync("/Email/Settings/Accounts")).Status.ShouldBe(HttpStatusCode.OK);
        var left = await SessionsOfAsync(user);
        left.ShouldNotContain(s => s.Id == sessionId);
        left.Count.ShouldBe(2, "the sign-in that made the user, and the second one");
    }

    [Fact]
    public async Task a_session_in_use_ends_at_its_absolute_lifetime_though_the_sliding_one_renews_it()
    {
        var (browser, _, user, sessionId) = await SignedInAsync();
        using var _ = browser;
        var session = (await SessionsOfAsync(user)).Single(s => s.Id == sessionId);

        // Started just under the default 12 hours ago and used since: still good (the cookie's own 8 hours slide).
        await StoreAsync(session with { StartedAt = DateTimeOffset.UtcNow.AddHours(-12).AddMinutes(5) });
        (await browser.GetAsync("/Email/Settings/Accounts")).Status.ShouldBe(HttpStatusCode.OK);

        await StoreAsync(session with { StartedAt = DateTimeOffset.UtcNow.AddHours(-12).AddSeconds(-1) });
        var page = await browser.GetAsync("/Email/Settings/Accounts");
        page.Status.ShouldBe(HttpStatusCode.Redirect);
        page.Location!.ToString().ShouldContain("/SignIn");

        // Signing in again starts a new session, and sweeps the user's sessions that ran out.
        await browser.SignInAsync(user.Login, user.Password);
        (await browser.GetAsync("/Email/Settings/Accounts")).Status.ShouldBe(HttpStatusCode.OK);
        (await SessionsOfAsync(user)).ShouldNotContain(s => s.Id == session.Id);
    }

    /// <summary>A user signed in through the form, with the cookie jar of that browser.</summary>
    private async Task<(UserSession Browser, CookieContainer Cookies, TestUser User, Guid SessionId)> SignedInAsync()
    {
        var user = await product.NewUserAsync();
        user.Dispose();
        var before = (await SessionsOfAsync(user)).Select(s => s.Id).ToArray();
        var cookies = new CookieContainer();
        var browser = new UserSession(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = product.BaseAddress });
        await browser.SignInAsync(user.Login, user.Password);
        var started = (await SessionsOfAsync(user)).Select(s => s.Id).Except(before).ShouldHaveSingleItem();
        return (browser, cookies, user, started);
    }

    /// <summary>Another machine that sends a copy of the sign-in cookie, as a thief would.</summary>
    private HttpClient CopyOf(CookieContainer cookies)
    {
        var value = cookies.GetCookies(product.BaseAddress)[AuthCookie]?.Value ?? throw new InvalidOperationException("No sign-in cookie.");
        var copy = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = product.BaseAddress };
        copy.DefaultRequestHeaders.Add("Cookie", $"{AuthCookie}={value}");
        return copy;
    }

    private async Task<IReadOnlyList<SignInSession>> SessionsOfAsync(TestUser user)
    {
        var id = await product.UserIdAsync(user.Login);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<SignInSession>().Where(s => s.UserId == id).ToListAsync();
    }

    private async Task StoreAsync(SignInSession moved)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        session.Store(moved);
        await session.SaveChangesAsync();
    }
}
