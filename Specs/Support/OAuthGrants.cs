using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailAccounts.Infrastructure.LocalServers;
using Microsoft.AspNetCore.WebUtilities;

namespace MailAccounts.Specs.Support;

/// <summary>An OAuth client registered with the private authorization server, as an administrator registers one.</summary>
public sealed record OAuthClient(string ClientId, string ClientSecret, Uri RedirectUri);

/// <summary>What the token endpoint answered.</summary>
public sealed record OAuthTokens(string AccessToken, string? RefreshToken, int ExpiresIn, string Scope);

/// <summary>
/// The authorization code flow with PKCE against the private authorization server, driven over HTTP as a browser and a
/// client would: the consent page fetched and its form posted with the mailbox's password, the redirect's code read, the
/// code exchanged with the verifier. Every step checks what a real client checks (the state it sent comes back).
/// </summary>
public static partial class OAuthGrants
{
    public const string Scopes = "openid email offline_access " + PrivateAuthorizationServer.MailScope;

    public static async Task<OAuthClient> RegisterClientAsync(PrivateAuthorizationServer server, Uri? redirectUri = null)
    {
        var client = new OAuthClient("specs-" + Guid.NewGuid().ToString("N")[..8], "secret-" + Guid.NewGuid().ToString("N"),
            redirectUri ?? new Uri("http://127.0.0.1/specs/oauth/callback"));
        await server.RegisterClientAsync(client.ClientId, client.ClientSecret, [client.RedirectUri], "MailAccounts specs");
        return client;
    }

    /// <summary>Signs the mailbox in on the consent page, allows, and exchanges the code: the tokens a client ends up with.</summary>
    public static async Task<OAuthTokens> ObtainAsync(PrivateAuthorizationServer server, OAuthClient client, Mailbox mailbox)
    {
        var verifier = NewVerifier();
        var code = await AuthorizeAsync(server, client, mailbox, verifier);
        using var response = await RedeemAsync(server, client, code, verifier);
        return await TokensFromAsync(response);
    }

    /// <summary>Everything up to the redirect: the code the provider sent back, after the state was checked.</summary>
    public static async Task<string> AuthorizeAsync(PrivateAuthorizationServer server, OAuthClient client, Mailbox mailbox, string verifier)
    {
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        using var http = Browserless();
        var page = await ConsentPageAsync(http, server, AuthorizationRequest(client, state, Challenge(verifier)));
        using var answer = await AnswerAsync(http, server, page, mailbox.Address, mailbox.Password, "allow");
        if (answer.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The consent page answered {(int)answer.StatusCode}, not a redirect: {await answer.Content.ReadAsStringAsync()}");
        }

        var query = QueryOf(answer.Headers.Location!, client.RedirectUri);
        if (query.GetValueOrDefault("state") != state)
        {
            throw new InvalidOperationException("The state that came back is not the one sent.");
        }

        return query["code"];
    }

    /// <summary>The authorization request's parameters, with a PKCE challenge (S256) unless it is null.</summary>
    public static Dictionary<string, string> AuthorizationRequest(OAuthClient client, string state, string? challenge)
    {
        var parameters = new Dictionary<string, string>
        {
            ["client_id"] = client.ClientId,
            ["redirect_uri"] = client.RedirectUri.AbsoluteUri,
            ["response_type"] = "code",
            ["scope"] = Scopes,
            ["state"] = state,
        };
        if (challenge is not null)
        {
            parameters["code_challenge"] = challenge;
            parameters["code_challenge_method"] = "S256";
        }

        return parameters;
    }

    /// <summary>GET of the authorization endpoint, as the browser follows the client's redirect to it.</summary>
    public static async Task<ConsentPage> ConsentPageAsync(HttpClient http, PrivateAuthorizationServer server, IDictionary<string, string> request)
    {
        using var response = await http.GetAsync(QueryHelpers.AddQueryString(server.AuthorizationEndpoint.AbsoluteUri, request!));
        return new ConsentPage(response.StatusCode, response.Headers.Location, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts the consent form back as the browser would: its hidden fields, the address and password, and the button pressed.</summary>
    public static Task<HttpResponseMessage> AnswerAsync(HttpClient http, PrivateAuthorizationServer server, ConsentPage page, string login, string password, string consent)
    {
        var fields = page.HiddenFields();
        fields["login"] = login;
        fields["password"] = password;
        fields["consent"] = consent;
        return http.PostAsync(server.AuthorizationEndpoint, new FormUrlEncodedContent(fields));
    }

    /// <summary>The code exchanged at the token endpoint, with the verifier when there is one.</summary>
    public static Task<HttpResponseMessage> RedeemAsync(PrivateAuthorizationServer server, OAuthClient client, string code, string? verifier)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = client.RedirectUri.AbsoluteUri,
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        };
        if (verifier is not null)
        {
            form["code_verifier"] = verifier;
        }

        return PostAsync(server.TokenEndpoint, form);
    }

    public static Task<HttpResponseMessage> RefreshAsync(PrivateAuthorizationServer server, OAuthClient client, string refreshToken) =>
        PostAsync(server.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        });

    public static async Task RevokeAsync(PrivateAuthorizationServer server, OAuthClient client, string token)
    {
        using var response = await PostAsync(server.RevocationEndpoint, new Dictionary<string, string>
        {
            ["token"] = token,
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        });
        response.EnsureSuccessStatusCode();
    }

    public static async Task<OAuthTokens> TokensFromAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new OAuthTokens(
            root.GetProperty("access_token").GetString()!,
            root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            root.GetProperty("expires_in").GetInt32(),
            root.GetProperty("scope").GetString()!);
    }

    /// <summary>The OAuth error code of a refused token request (<c>invalid_grant</c>, say).</summary>
    public static async Task<string> ErrorOfAsync(HttpResponseMessage response)
    {
        response.IsSuccessStatusCode.ShouldBeFalse();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("error").GetString()!;
    }

    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>An HTTP client that, like a client's back end, sees redirects instead of following them.</summary>
    public static HttpClient Browserless() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    /// <summary>The query of a redirect to the client's redirect address; any other redirect is an error.</summary>
    public static Dictionary<string, string> QueryOf(Uri location, Uri redirectUri)
    {
        location.GetLeftPart(UriPartial.Path).ShouldBe(redirectUri.GetLeftPart(UriPartial.Path));
        return QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    private static async Task<HttpResponseMessage> PostAsync(Uri endpoint, Dictionary<string, string> form)
    {
        using var http = Browserless();
        return await http.PostAsync(endpoint, new FormUrlEncodedContent(form));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The authorization endpoint's answer to the browser: the consent page, or a redirect with an error.</summary>
    public sealed partial record ConsentPage(HttpStatusCode Status, Uri? Location, string Html)
    {
        public Dictionary<string, string> HiddenFields() => HiddenField().Matches(Html)
            .ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

        [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]*)" value="(?<value>[^"]*)">""")]
        private static partial Regex HiddenField();
    }
}
