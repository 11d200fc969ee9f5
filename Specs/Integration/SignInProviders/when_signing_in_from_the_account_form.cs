using System.Net;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.SignInProviders;
using MailAccounts.Specs.Support;
using MailAccounts.WebHost.Pages.Email.Settings.Accounts;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace MailAccounts.Specs.Integration.SignInProviders;

/// <summary>
/// "Sign in with …" on the account form, as a browser goes through it: the form leaves for the private authorization
/// server's consent page with state and a PKCE challenge, comes back through the callback filled in, and Done saves an
/// account that signs in with its token. A callback that is forged, replayed, someone else's, or carries a code that
/// was not issued for this sign-in's verifier, is refused and keeps nothing; Cancel brings the form back as typed; an
/// account that needs reconnecting is reconnected from its banner.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_signing_in_from_the_account_form(ProductFixture product)
{
    [Fact]
    public async Task the_form_comes_back_signed_in_as_the_mailbox_and_done_saves_an_account_that_signs_in_with_its_token()
    {
        var (client, providerId) = await product.RegisterProviderAsync();
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        await product.DeliverAsync(mailbox, [new MimeMessage
        {
            From = { MailboxAddress.Parse("stranger@elsewhere.invalid") },
            Subject = "Read after signing in",
            Body = new TextPart("plain") { Text = "Hello." },
        }]);
        var title = "Signed in " + Guid.NewGuid().ToString("N")[..6];

        var toProvider = await user.StartSignInAsync(AccountForms.AddPage, providerId, product.TypedBeforeSignIn(title, mailbox.Address));

        var asked = QueryHelpers.ParseQuery(toProvider.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        toProvider.GetLeftPart(UriPartial.Path).ShouldBe(product.MailServer.AuthorizationServer.AuthorizationEndpoint.AbsoluteUri);
        asked["client_id"].ShouldBe(client.ClientId);
        asked["redirect_uri"].ShouldBe(client.RedirectUri.AbsoluteUri);
        asked["response_type"].ShouldBe("code");
        asked["code_challenge_method"].ShouldBe("S256");
        asked["code_challenge"].Length.ShouldBe(43, "a SHA-256 in base64url");
        asked["state"].Length.ShouldBeGreaterThanOrEqualTo(43, "32 random bytes");
        asked["login_hint"].ShouldBe(mailbox.Address);
        asked["scope"].ShouldBe(OAuthGrants.Scopes);

        var form = await user.BackFromSignInAsync(await product.ConsentAsync(toProvider, mailbox, "allow"));

        form.Dom.One("[data-signed-in]").TextContent.ShouldContain(mailbox.Address);
        var fields = Form.Of(form.Html, "form[data-account-form]", AccountForms.AddPage);
        fields["Input.Title"].ShouldBe(title, "the form comes back as it was typed");
        fields["Input.Address"].ShouldBe(mailbox.Address);
        fields["Input.Login"].ShouldBe(mailbox.Address);
        fields["Input.Password"].ShouldBeEmpty();
        fields["Input.SignIn"].ShouldNotBeEmpty();

        var tested = await user.Session.PostAsync(fields, handler: "Test");
        tested.Dom.One("#incoming-report .report").ClassName!.ShouldContain("ok", Case.Sensitive, "Test settings signs in with the token");

        var saved = await user.Session.PostAsync(Form.Of(tested.Html, "form[data-account-form]", AccountForms.AddPage));
        saved.Status.ShouldBe(HttpStatusCode.Redirect, saved.Html);
        var account = (await product.AccountsOfAsync(await product.UserIdAsync(user.Login))).Single(a => a.Title == title);
        var events = (await product.EventsOfAsync(account.Id)).Select(e => e.Data).ToList();
        events.OfType<AccountAuthorised>().ShouldHaveSingleItem().Mailbox.ShouldBe(mailbox.Address);
        events.OfType<CredentialsChanged>().ShouldBeEmpty("no password was typed");
        (await user.Session.GetAsync($"/Email?account={account.Id}")).Html.ShouldContain("Read after signing in");

        var edit = await user.Session.GetAsync($"/Email/Settings/Accounts/Edit/{account.Id}");
        edit.Dom.One("[data-saved-sign-in]").TextContent.ShouldContain(mailbox.Address);
        var resaved = await user.Session.PostAsync(Form.Of(edit.Html, "form[data-account-form]", $"/Email/Settings/Accounts/Edit/{account.Id}"));
        resaved.Status.ShouldBe(HttpStatusCode.Redirect, "the saved sign-in is kept without a password");
        (await product.EventsOfAsync(account.Id)).Select(e => e.Data).OfType<AccountAuthorised>().Count().ShouldBe(1);
    }

    [Fact]
    public async Task a_forged_replayed_or_someone_elses_callback_is_refused_and_keeps_nothing()
    {
        var (_, providerId) = await product.RegisterProviderAsync();
        using var user = await product.NewUserAsync();
        using var stranger = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();

        var forged = await user.Session.GetAsync($"{SignedInModel.Path}?code=anything&state=" + Guid.NewGuid().ToString("N"));
        forged.Status.ShouldBe(HttpStatusCode.BadRequest);
        forged.Dom.One("[data-sign-in-refused]").TextContent.ShouldNotBeNullOrWhiteSpace();
        (await user.Session.GetAsync($"{SignedInModel.Path}?code=anything")).Status.ShouldBe(HttpStatusCode.BadRequest, "no state at all");

        var callback = await product.ConsentAsync(await user.StartSignInAsync(AccountForms.AddPage, providerId, product.TypedBeforeSignIn("Mine", mailbox.Address)), mailbox, "allow");
        (await stranger.Session.GetAsync(callback.PathAndQuery)).Status.ShouldBe(HttpStatusCode.BadRequest, "the state is not the stranger's");
        (await user.Session.GetAsync(callback.PathAndQuery)).Status.ShouldBe(HttpStatusCode.Redirect, "the stranger did not use it up");
        var replayed = await user.Session.GetAsync(callback.PathAndQuery);
        replayed.Status.ShouldBe(HttpStatusCode.BadRequest, "a state is used once");
        (await TokenSetsOfAsync(await product.UserIdAsync(stranger.Login))).ShouldBe(0);
    }

    [Fact]
    public async Task a_code_issued_for_another_sign_in_fails_the_pkce_check_and_nothing_is_signed_in()
    {
        var (client, providerId) = await product.RegisterProviderAsync();
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();
        var attackers = await product.NewMailboxAsync();
        var toProvider = await user.StartSignInAsync(AccountForms.AddPage, providerId, product.TypedBeforeSignIn("Victim", mailbox.Address));
        var state = QueryHelpers.ParseQuery(toProvider.Query)["state"].ToString();

        // The attacker's own code, for the attacker's mailbox and verifier, slipped into the user's callback with the user's state.
        var code = await OAuthGrants.AuthorizeAsync(product.MailServer.AuthorizationServer, client, attackers, OAuthGrants.NewVerifier());
        var form = await user.BackFromSignInAsync(new Uri(client.RedirectUri, $"?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}"));

        form.Dom.One("[data-sign-in-problem]").TextContent.ShouldContain("The provider did not sign the account in.");
        form.Dom.All("[data-signed-in]").ShouldBeEmpty();
        Form.Of(form.Html, "form[data-account-form]", AccountForms.AddPage)["Input.Title"].ShouldBe("Victim");
        (await TokenSetsOfAsync(await product.UserIdAsync(user.Login))).ShouldBe(0, "no token was issued for the verifier the product holds");
    }

    [Fact]
    public async Task cancelling_on_the_providers_page_brings_the_form_back_as_typed_and_says_why()
    {
        var (_, providerId) = await product.RegisterProviderAsync();
        using var user = await product.NewUserAsync();
        var mailbox = await product.NewMailboxAsync();

        var form = await user.BackFromSignInAsync(await product.ConsentAsync(await user.StartSignInAsync(AccountForms.AddPage, providerId, product.TypedBeforeSignIn("Cancelled", mailbox.Address)), mailbox, "deny"));

        form.Dom.One("[data-sign-in-problem]").TextContent.ShouldContain("You cancelled on the provider's page");
        Form.Of(form.Html, "form[data-account-form]", AccountForms.AddPage)["Input.Title"].ShouldBe("Cancelled");
        form.Dom.All("[data-signed-in]").ShouldBeEmpty();
    }

    [Fact]
    public async Task a_sign_in_older_than_ten_minutes_is_refused_when_it_comes_back()
    {
        var (_, providerId) = await product.RegisterProviderAsync();
        var userId = await product.UserIdAsync((await product.NewUserAsync()).Login);
        var clock = new MovableClock();
        var signIns = new SignIns(product.Services.GetRequiredService<IDocumentStore>(), product.Services.GetRequiredService<SecretVault>(),
            product.Services.GetRequiredService<TokenEndpoint>(), product.Services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), clock);
        await using var query = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var provider = (await query.LoadAsync<MailAccounts.Domain.SignInProviders.SignInProvider>(providerId))!;
        var url = await signIns.StartAsync(userId, provider, null, reconnect: false, "{}", new Uri(product.BaseAddress, SignedInModel.Path), null, CancellationToken.None);
        var state = QueryHelpers.ParseQuery(url.Query)["state"].ToString();

        clock.Advance(SignIns.Lifetime + TimeSpan.FromSeconds(1));
        var late = await signIns.FinishAsync(userId, state, "a-code", null, null, CancellationToken.None);

        late.ShouldNotBeNull().Refusal.ShouldBe(SignInRefusals.Expired);
        late.Grant.ShouldBeNull();
        (await signIns.FinishAsync(userId, state, "a-code", null, null, CancellationToken.None)).ShouldBeNull("used once, even when it came too late");
    }

    [Fact]
    public async Task an_account_that_needs_reconnecting_shows_a_banner_and_its_reconnect_signs_it_in_again_as_the_same_mailbox()
    {
        var oauth = await product.AddAsync();
        using var user = oauth.User;
        await product.MailServer.AuthorizationServer.RevokeGrantsAsync(oauth.Mailbox.Address);
        (await user.Session.GetAsync($"/Email?account={oauth.AccountId}")).Dom.One($"[data-needs-reconnecting='{oauth.AccountId}']");

        var list = await user.Session.GetAsync("/Email/Settings/Accounts");
        var banner = list.Dom.One($"[data-needs-reconnecting='{oauth.AccountId}']");
        var reconnect = Form.Of(banner.OuterHtml, "form");
        var toProvider = (await user.Session.PostAsync(reconnect)).Location.ShouldNotBeNull();
        QueryHelpers.ParseQuery(toProvider.Query)["login_hint"].ToString().ShouldBe(oauth.Mailbox.Address);

        var back = await user.Session.GetAsync((await product.ConsentAsync(toProvider, oauth.Mailbox, "allow")).PathAndQuery);
        back.Status.ShouldBe(HttpStatusCode.Redirect);
        var notice = await user.Session.GetAsync(back.Location!.OriginalString);
        notice.Html.ShouldContain($"The account signs in as {oauth.Mailbox.Address} again.");
        notice.Dom.All("[data-needs-reconnecting]").ShouldBeEmpty();
        (await product.AccountAsync(oauth.AccountId)).NeedsReconnecting.ShouldBeFalse();
        (await product.EventsOfAsync(oauth.AccountId)).Select(e => e.Data).OfType<AccountReconnected>().ShouldHaveSingleItem();
        (await user.Session.GetAsync($"/Email?account={oauth.AccountId}")).Dom.All("[data-needs-reconnecting]").ShouldBeEmpty();
    }

    [Fact]
    public async Task reconnecting_as_another_mailbox_is_refused_and_the_account_still_needs_reconnecting()
    {
        var oauth = await product.AddAsync();
        using var user = oauth.User;
        var other = await product.NewMailboxAsync();
        await product.MailServer.AuthorizationServer.RevokeGrantsAsync(oauth.Mailbox.Address);
        await user.Session.GetAsync($"/Email?account={oauth.AccountId}");

        var banner = (await user.Session.GetAsync("/Email/Settings/Accounts")).Dom.One($"[data-needs-reconnecting='{oauth.AccountId}']");
        var toProvider = (await user.Session.PostAsync(Form.Of(banner.OuterHtml, "form"))).Location.ShouldNotBeNull();
        var back = await user.Session.GetAsync((await product.ConsentAsync(toProvider, other, "allow")).PathAndQuery);

        var list = await user.Session.GetAsync(back.Location!.OriginalString);
        list.Html.ShouldContain("You signed in as a different mailbox");
        list.Dom.One($"[data-needs-reconnecting='{oauth.AccountId}']");
        (await product.AccountAsync(oauth.AccountId)).NeedsReconnecting.ShouldBeTrue();
    }

    private async Task<int> TokenSetsOfAsync(Guid userId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Query<ProtectedSecret>().CountAsync(s => s.OwnerId == userId);
    }
}
