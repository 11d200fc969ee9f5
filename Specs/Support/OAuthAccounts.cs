using System.Net;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.SignInProviders;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Support;

/// <summary>An account of the private Dovecot that signs in with the private authorization server, and what made it.</summary>
public sealed record OAuthAccount(Guid AccountId, TestUser User, Guid UserId, Mailbox Mailbox, OAuthClient Client, Guid ProviderId, OAuthTokens Tokens);

/// <summary>
/// Accounts that sign in with a provider, made as the account form makes them once its sign-in came back: the
/// organisation's client registered on the private authorization server and as a Generic sign-in provider, tokens
/// obtained through the consent page, stored in the vault, and SaveAccount with the grant (no password anywhere), with
/// an outgoing server that signs in with the account's token.
/// </summary>
public static class OAuthAccounts
{
    public static async Task<OAuthAccount> AddAsync(this ProductFixture product, TestUser? owner = null)
    {
        var server = product.MailServer.AuthorizationServer;
        var (client, providerId) = await product.RegisterProviderAsync();

        var user = owner ?? await product.NewUserAsync();
        var userId = await product.UserIdAsync(user.Login);
        var mailbox = await product.NewMailboxAsync();
        var tokens = await OAuthGrants.ObtainAsync(server, client, mailbox);
        var tokenSecretId = await product.StoreTokensAsync(userId, tokens);

        var endpoints = product.MailServer.Endpoints;
        var accountId = Guid.CreateVersion7();
        var form = new AccountForm("OAuth " + mailbox.Address[..6], "Anna Smirnova", mailbox.Address, IncomingProtocol.Imap, endpoints.Host, endpoints.Imaps,
            TransportSecurity.SslOnConnect, Login: null, SentFolder: "Sent", TrashFolder: "Trash",
            Grant: new OAuthGrant(providerId, mailbox.Address, tokens.Scope, tokenSecretId));
        var outgoing = new OutgoingServerFields(OutgoingServerKind.Other, endpoints.Host, endpoints.Smtp, TransportSecurity.StartTls, UseAuthentication: true,
            mailbox.Address, null) { SignsInWithToken = true };
        var outcome = await product.InvokeAsync(new SaveAccount(new Actor(userId, false), null, null, form, null, outgoing));
        return new OAuthAccount(outcome.Id, user, userId, mailbox, client, providerId, tokens);
    }

    /// <summary>
    /// The organisation's OAuth client on the private authorization server, with the product's sign-in callback as
    /// its redirect address, registered in the product as a Generic sign-in provider.
    /// </summary>
    public static async Task<(OAuthClient Client, Guid ProviderId)> RegisterProviderAsync(this ProductFixture product)
    {
        var server = product.MailServer.AuthorizationServer;
        var client = await OAuthGrants.RegisterClientAsync(server, new Uri(product.BaseAddress, MailAccounts.WebHost.Pages.Email.Settings.Accounts.SignedInModel.Path));
        var providerId = Guid.CreateVersion7();
        await product.InvokeAsync(new ConfigureSignInProvider(Actors.System, providerId, SignInProviderKind.Generic, "Local mail server " + client.ClientId,
            client.ClientId, new Secret(client.ClientSecret), null, server.AuthorizationEndpoint.AbsoluteUri, server.TokenEndpoint.AbsoluteUri, OAuthGrants.Scopes));
        return (client, providerId);
    }

    /// <summary>Tokens the consent page gave, stored as the account form's callback stores them.</summary>
    public static async Task<Guid> StoreTokensAsync(this ProductFixture product, Guid ownerId, OAuthTokens tokens)
    {
        var now = DateTimeOffset.UtcNow;
        await using var session = product.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var id = product.Services.GetRequiredService<AccountTokens>().Store(
            session, ownerId, new TokenSet(tokens.AccessToken, tokens.RefreshToken, now, now.AddSeconds(tokens.ExpiresIn)));
        await session.SaveChangesAsync();
        return id;
    }

    public static async Task<Outcome> InvokeAsync(this ProductFixture product, object command)
    {
        await using var scope = product.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<Commands>().InvokeAsync(command, CancellationToken.None);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"{command.GetType().Name} was refused: {string.Join(", ", outcome.Violations.Select(v => v.Field + " " + v.Code))}");
        }

        return outcome;
    }

    public static async Task<Account> AccountAsync(this ProductFixture product, Guid accountId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.LoadAsync<Account>(accountId))!;
    }

    public static async Task<TokenSet> StoredTokensAsync(this ProductFixture product, Guid accountId)
    {
        var account = await product.AccountAsync(accountId);
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await product.Services.GetRequiredService<AccountTokens>().RevealAsync(session, account.Authorisation!.TokenSecretId, CancellationToken.None))!;
    }

    /// <summary>What a user typed before pressing Sign in: a title, a name, the address, and the private Dovecot's IMAPS.</summary>
    public static Dictionary<string, string> TypedBeforeSignIn(this ProductFixture product, string title, string address) => new()
    {
        ["Input.Title"] = title,
        ["Input.Name"] = "Anna Smirnova",
        ["Input.Address"] = address,
        ["Input.Host"] = product.MailServer.Endpoints.Host,
        ["Input.Port"] = product.MailServer.Endpoints.Imaps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Input.Protocol"] = "Imap",
        ["Input.UseSsl"] = "true",
    };

    /// <summary>The account form filled in and "Sign in with" pressed: the provider's address the product redirects to.</summary>
    public static async Task<Uri> StartSignInAsync(this TestUser user, string page, Guid providerId, Dictionary<string, string> typed)
    {
        var form = Form.Of((await user.Session.GetAsync(page)).Html, "form[data-account-form]", page);
        foreach (var (name, value) in typed)
        {
            form[name] = value;
        }

        form.Add("signInWith", providerId.ToString());
        var started = await user.Session.PostAsync(form, handler: "SignIn");
        started.Status.ShouldBe(HttpStatusCode.Redirect, started.Html);
        return started.Location!;
    }

    /// <summary>The consent page answered as the mailbox's owner: the redirect back to the product's callback.</summary>
    public static async Task<Uri> ConsentAsync(this ProductFixture product, Uri toProvider, Mailbox mailbox, string consent)
    {
        using var http = OAuthGrants.Browserless();
        OAuthGrants.ConsentPage page;
        using (var response = await http.GetAsync(toProvider))
        {
            page = new OAuthGrants.ConsentPage(response.StatusCode, response.Headers.Location, await response.Content.ReadAsStringAsync());
        }

        page.Status.ShouldBe(HttpStatusCode.OK, page.Html);
        using var answer = await OAuthGrants.AnswerAsync(http, product.MailServer.AuthorizationServer, page, mailbox.Address, mailbox.Password, consent);
        answer.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return answer.Headers.Location!;
    }

    /// <summary>The browser back at the product's callback, and on to the form it sends it to.</summary>
    public static async Task<Page> BackFromSignInAsync(this TestUser user, Uri callback)
    {
        var back = await user.Session.GetAsync(callback.PathAndQuery);
        back.Status.ShouldBe(HttpStatusCode.Redirect, back.Html);
        var form = await user.Session.GetAsync(back.Location!.OriginalString);
        form.Status.ShouldBe(HttpStatusCode.OK);
        return form;
    }
}
