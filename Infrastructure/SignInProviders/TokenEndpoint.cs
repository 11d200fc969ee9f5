using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MailAccounts.Domain.SignInProviders;

namespace MailAccounts.Infrastructure.SignInProviders;

/// <summary>
/// The tokens one grant gave, kept encrypted in the vault as one secret (events hold only its reference). A provider
/// that does not rotate refresh tokens answers a refresh without one: the old one is kept.
/// </summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Refreshed before it expires: once less than a quarter of its life is left, or less than five minutes of a long
    /// one, so that a connection opened with it does not outlive it at once.
    /// </summary>
    public bool IsDueForRefresh(DateTimeOffset now)
    {
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, (ExpiresAt - IssuedAt).Ticks / 4));
        return now >= ExpiresAt - margin;
    }

    // A record prints every member; a token must never reach a log or an exception message that way.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"AccessToken = ***, RefreshToken = {(RefreshToken is null ? "none" : "***")}, IssuedAt = {IssuedAt:O}, ExpiresAt = {ExpiresAt:O}");
        return true;
    }

    internal string ToJson() => JsonSerializer.Serialize(this);

    internal static TokenSet FromJson(string json) =>
        JsonSerializer.Deserialize<TokenSet>(json) ?? throw new JsonException("A stored token set is empty.");
}

/// <summary>What the token endpoint gave: the tokens, the scopes granted, and the ID token's e-mail address when it sent one.</summary>
public sealed record TokenAnswer(TokenSet Tokens, string Scope, string? Email);

/// <summary>
/// Why the token endpoint gave no tokens. <paramref name="Final"/> when the grant itself was refused
/// (<c>invalid_grant</c>: revoked, expired, the password changed), which only signing in again mends; otherwise the
/// provider could not be reached or failed, and a later try may succeed.
/// </summary>
public sealed record TokenRefusal(string Error, string? Description, bool Final)
{
    public override string ToString() => Description is { Length: > 0 } words ? $"{Error}: {words}" : Error;
}

/// <summary>
/// A provider's token endpoint (RFC 6749 section 4.1.3 and 6): redeems an authorization code with its PKCE verifier,
/// and refreshes. The client authenticates with its secret in the request body (<c>client_secret_post</c>), which
/// every provider here accepts.
/// </summary>
public sealed class TokenEndpoint(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "oauth-token-endpoint";

    public Task<(TokenAnswer? Answer, TokenRefusal? Refusal)> RedeemAsync(
        SignInProvider provider, string clientSecret, string code, string verifier, Uri redirectUri, CancellationToken cancellationToken) =>
        PostAsync(provider, clientSecret, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri.AbsoluteUri,
        }, previousRefreshToken: null, cancellationToken);

    public Task<(TokenAnswer? Answer, TokenRefusal? Refusal)> RefreshAsync(
        SignInProvider provider, string clientSecret, string refreshToken, CancellationToken cancellationToken) =>
        PostAsync(provider, clientSecret, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, refreshToken, cancellationToken);

    private async Task<(TokenAnswer?, TokenRefusal?)> PostAsync(
        SignInProvider provider, string clientSecret, Dictionary<string, string> parameters, string? previousRefreshToken, CancellationToken cancellationToken)
    {
        parameters["client_id"] = provider.ClientId;
        parameters["client_secret"] = clientSecret;
        var issuedAt = time.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, provider.TokenEndpoint) { Content = new FormUrlEncodedContent(parameters) };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, new TokenRefusal("unreachable", $"{provider.Name} could not be reached: {e.Message}", Final: false));
        }

        using (response)
        {
            Reply? reply;
            try
            {
                reply = await response.Content.ReadFromJsonAsync<Reply>(cancellationToken);
            }
            catch (JsonException)
            {
                reply = null;
            }

            if (!response.IsSuccessStatusCode || reply?.AccessToken is not { Length: > 0 } accessToken)
            {
                var error = reply?.Error ?? $"http_{(int)response.StatusCode}";
                // RFC 6749 5.2: invalid_grant is the grant refused for good; a client refused (invalid_client,
                // unauthorized_client) is an administrator's to mend, and signing in again would not help either.
                var final = error is "invalid_grant" or "invalid_client" or "unauthorized_client";
                return (null, new TokenRefusal(error, reply?.ErrorDescription, final));
            }

            var lifetime = TimeSpan.FromSeconds(reply.ExpiresIn is > 0 ? reply.ExpiresIn.Value : 3600);
            var tokens = new TokenSet(accessToken, reply.RefreshToken ?? previousRefreshToken, issuedAt, issuedAt + lifetime);
            return (new TokenAnswer(tokens, reply.Scope ?? "", EmailOf(reply.IdToken)), null);
        }
    }

    /// <summary>
    /// The <c>email</c> claim of an ID token. The token came straight from the token endpoint over the connection the
    /// client opened, so OpenID Connect Core 1.0 section 3.1.3.7 lets the client use it without checking its signature.
    /// </summary>
    internal static string? EmailOf(string? idToken)
    {
        var parts = idToken?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var claims = JsonDocument.Parse(Convert.FromBase64String(payload));
            return claims.RootElement.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String ? email.GetString() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record Reply(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("scope")] string? Scope,
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription);
}
