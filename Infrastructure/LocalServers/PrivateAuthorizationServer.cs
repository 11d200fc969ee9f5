using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>How the private authorization server issues tokens: the demo's are the usual hour, the specs' a minute.</summary>
/// <param name="AccessTokenLifetime">How long an access token is accepted (by introspection, so by Dovecot too).</param>
/// <param name="Clock">The server's time, which a spec may move on to see tokens expire; the machine's clock otherwise.</param>
public sealed record AuthorizationServerSettings(TimeSpan AccessTokenLifetime, TimeProvider? Clock = null)
{
    public static AuthorizationServerSettings Usual { get; } = new(TimeSpan.FromHours(1));
}

/// <summary>
/// An OAuth 2.0 / OpenID Connect authorization server of our own on loopback (OpenIddict in a Kestrel host inside this
/// process), standing for a mail provider's sign-in: its users are the private Dovecot's mailboxes, who sign in with
/// their mailbox password on its consent page. It offers the authorization code flow with PKCE required, rotating refresh
/// tokens (a redeemed one is refused at once: no reuse leeway), introspection for Dovecot, and revocation. Its store is
/// OpenIddict's Entity Framework Core store over a SQLite file made afresh at every start: its signing and encryption
/// keys are ephemeral, so tokens of an earlier run could not be read anyway. A file rather than SQLite's in-memory
/// database, because an in-memory database lives on one connection, which concurrent requests (Dovecot introspecting
/// while the product refreshes) may not share.
/// </summary>
public sealed class PrivateAuthorizationServer : IAsyncDisposable
{
    /// <summary>The scope that grants reading and sending mail, as Google's <c>https://mail.google.com/</c> does.</summary>
    public const string MailScope = "mail";

    /// <summary>The client id Dovecot introspects tokens with; access tokens are issued for it (their audience).</summary>
    internal const string ResourceServer = "dovecot";

    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    private readonly WebApplication _host;
    private int _stopped;

    private PrivateAuthorizationServer(WebApplication host, Uri issuer, string resourceServerSecret)
    {
        _host = host;
        Issuer = issuer;
        ResourceServerSecret = resourceServerSecret;
    }

    /// <summary>The server's address, <c>http://127.0.0.1:port/</c>: plain HTTP, on loopback only.</summary>
    public Uri Issuer { get; }

    public Uri AuthorizationEndpoint => new(Issuer, "connect/authorize");

    public Uri TokenEndpoint => new(Issuer, "connect/token");

    public Uri IntrospectionEndpoint => new(Issuer, "connect/introspect");

    public Uri RevocationEndpoint => new(Issuer, "connect/revoke");

    /// <summary>Dovecot's client secret for introspection, written into its configuration only.</summary>
    internal string ResourceServerSecret { get; }

    /// <summary>
    /// Starts the server on <paramref name="port"/>, keeping its store in <paramref name="folder"/>. A user signs in on
    /// the consent page with an address and a password that <paramref name="checkPassword"/> accepts.
    /// </summary>
    public static async Task<PrivateAuthorizationServer> StartAsync(
        string folder, int port, Func<string, string, CancellationToken, Task<bool>> checkPassword, AuthorizationServerSettings settings,
        CancellationToken cancellationToken = default)
    {
        folder = LocalFolders.CreateDirectory(folder);
        var store = Path.Combine(folder, "store.db");
        foreach (var file in new[] { store, store + "-wal", store + "-shm" })
        {
            File.Delete(file);
        }

        var issuer = new Uri($"http://127.0.0.1:{port}/");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(PrivateAuthorizationServer).Assembly.GetName().Name,
            ContentRootPath = folder,
            EnvironmentName = "Production",
            Args = [],
        });
        // Its requests hold mailbox passwords and tokens, which no log of ours may hold.
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        builder.Services.AddDbContext<AuthorizationStore>(options =>
        {
            options.UseSqlite($"Data Source={store};Pooling=False");
            options.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<AuthorizationStore>())
            .AddServer(options =>
            {
                options.SetIssuer(issuer);
                options.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetRevocationEndpointUris("connect/revoke");
                options.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                options.RequireProofKeyForCodeExchange();
                options.RegisterScopes(Scopes.Email, Scopes.OfflineAccess, MailScope);
                options.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                // A redeemed refresh token is refused at once (and its whole grant with it), so a leaked old one is useless.
                options.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                // Reference tokens: short random strings whose content stays in the store, which only introspection reveals,
                // as a provider's opaque tokens are. A self-contained one (an encrypted JWT) is longer than the 2048
                // characters of an SMTP command line that Postfix reads, once SASL XOAUTH2 wraps it in base64.
                options.UseReferenceAccessTokens().UseReferenceRefreshTokens();
                options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                if (settings.Clock is { } clock)
                {
                    options.Configure(server => server.TimeProvider = clock);
                }

                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    // A request it refuses without sending the user back (no PKCE challenge, say) gets a page that says why.
                    .EnableErrorPassthrough()
                    // Loopback only: the product and Dovecot reach it on 127.0.0.1, as they reach the private mail server.
                    .DisableTransportSecurityRequirement();
            });
        builder.Services.AddAuthorization();

        var host = builder.Build();
        var secret = LocalFolders.NewSecret();
        var server = new PrivateAuthorizationServer(host, issuer, secret);
        host.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], context => AuthorizeAsync(context, checkPassword));
        host.MapPost("/connect/token", ExchangeAsync);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuthorizationStore>().Database.EnsureCreatedAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = ResourceServer,
                ClientSecret = secret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Dovecot",
                Permissions = { Permissions.Endpoints.Introspection },
            }, cancellationToken);
        }

        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await host.DisposeAsync();
            throw new LocalServerException($"The authorization server could not listen on 127.0.0.1:{port}: {e.Message}");
        }

        return server;
    }

    /// <summary>
    /// Registers an OAuth client, as an administrator registers an application with a provider: a confidential client
    /// that may use the code flow (with PKCE) and refresh tokens, and ask for the mail, email and offline_access scopes.
    /// Registering the same client id again replaces its secret and redirect addresses.
    /// </summary>
    public async Task RegisterClientAsync(string clientId, string clientSecret, IEnumerable<Uri> redirectUris, string displayName, CancellationToken cancellationToken = default)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = clientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = displayName,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Email,
                Permissions.Prefixes.Scope + MailScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in redirectUris)
        {
            descriptor.RedirectUris.Add(uri);
        }

        await using var scope = _host.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } existing)
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
        else
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
    }

    /// <summary>
    /// Revokes every grant the mailbox gave, with the tokens issued under them, as a user does on a provider's
    /// "apps with access to your account" page.
    /// </summary>
    public async Task RevokeGrantsAsync(string address, CancellationToken cancellationToken = default)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(address.ToLowerInvariant(), cancellationToken))
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }

        await foreach (var token in tokens.FindBySubjectAsync(address.ToLowerInvariant(), cancellationToken))
        {
            await tokens.TryRevokeAsync(token, cancellationToken);
        }
    }

    private static async Task AuthorizeAsync(HttpContext context, Func<string, string, CancellationToken, Task<bool>> checkPassword)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict passed on an authorization request it did not read.");
        var cancellationToken = context.RequestAborted;
        if (context.GetOpenIddictServerResponse() is { Error: { Length: > 0 } error } refusal)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Local mail server: refused</title></head><body><h1>Refused</h1>"
                + $"<p><code>{HtmlEncoder.Default.Encode(error)}</code>: {HtmlEncoder.Default.Encode(refusal.ErrorDescription ?? "")}</p></body></html>",
                cancellationToken);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Form.TryGetValue("consent", out var consent))
        {
            await WriteConsentPageAsync(context, request, login: request.LoginHint ?? "", problem: null);
            return;
        }

        if (consent != "allow")
        {
            await context.ForbidAsync(Scheme, new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The mailbox's owner did not allow the access.",
            }));
            return;
        }

        var login = context.Request.Form["login"].ToString().Trim().ToLowerInvariant();
        var password = context.Request.Form["password"].ToString();
        if (login.Length == 0 || !await checkPassword(login, password, cancellationToken))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            await WriteConsentPageAsync(context, request, login, "The address or the password is wrong.");
            return;
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, login).SetClaim(Claims.Email, login).SetClaim(Claims.Name, login);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(ResourceServer);
        identity.SetDestinations(Destinations);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
    }

    private static async Task ExchangeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict passed on a token request it did not read.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            throw new InvalidOperationException($"The grant type {request.GrantType} is not allowed, so OpenIddict should have refused it.");
        }

        // The code or refresh token was checked by OpenIddict (PKCE verifier, client, rotation); its principal goes on.
        var principal = (await context.AuthenticateAsync(Scheme)).Principal
            ?? throw new InvalidOperationException("OpenIddict validated a grant without a principal.");
        principal.SetDestinations(Destinations);
        await context.SignInAsync(Scheme, principal);
    }

    private static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Email or Claims.Name => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        _ => [OpenIddictConstants.Destinations.AccessToken],
    };

    /// <summary>
    /// The provider's own page: who asks for what, the mailbox's address and password, Allow and Deny. It posts the
    /// authorization request back with the answer, as hidden fields, so that the server keeps no state between the two.
    /// </summary>
    private static async Task WriteConsentPageAsync(HttpContext context, OpenIddictRequest request, string login, string? problem)
    {
        var html = HtmlEncoder.Default;
        var applications = context.RequestServices.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(request.ClientId!, context.RequestAborted);
        var name = application is null ? request.ClientId : await applications.GetDisplayNameAsync(application, context.RequestAborted);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Local mail server: sign in</title><style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}")
            .Append("label{display:block;margin-top:1rem}input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:.4rem}")
            .Append("button{margin:1.2rem .6rem 0 0;padding:.5rem 1rem}.problem{color:#a00}</style></head><body>")
            .Append("<h1>Local mail server</h1><p><strong>").Append(html.Encode(name ?? "")).Append("</strong> asks to read and send your mail")
            .Append(" (").Append(html.Encode(string.Join(", ", request.GetScopes()))).Append(").</p>");
        if (problem is not null)
        {
            page.Append("<p class=\"problem\" role=\"alert\">").Append(html.Encode(problem)).Append("</p>");
        }

        page.Append("<form method=\"post\" action=\"/connect/authorize\">");
        foreach (var (parameter, value) in request.GetParameters())
        {
            if (parameter is "login" or "password" or "consent")
            {
                continue;
            }

            page.Append("<input type=\"hidden\" name=\"").Append(html.Encode(parameter)).Append("\" value=\"")
                .Append(html.Encode(value.ToString() ?? "")).Append("\">");
        }

        page.Append("<label for=\"login\">Mailbox address</label><input id=\"login\" name=\"login\" type=\"email\" autocomplete=\"username\" required value=\"")
            .Append(html.Encode(login)).Append("\">")
            .Append("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\">")
            .Append("<button type=\"submit\" name=\"consent\" value=\"allow\">Allow</button>")
            .Append("<button type=\"submit\" name=\"consent\" value=\"deny\" formnovalidate>Deny</button></form></body></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(page.ToString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }
    }

    /// <summary>OpenIddict's applications, authorizations, scopes and tokens.</summary>
    private sealed class AuthorizationStore(DbContextOptions<AuthorizationStore> options) : DbContext(options);
}
