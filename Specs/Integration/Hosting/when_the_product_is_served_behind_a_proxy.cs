using System.Net;
using System.Net.Sockets;
using MailAccounts.Specs.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.Hosting;

/// <summary>
/// A host as it runs in production behind a reverse proxy that terminates TLS. The proxy is 127.0.0.2 (all of
/// 127.0.0.0/8 is this machine's loopback), named in <c>Security:KnownProxies</c>; a client that connects from
/// 127.0.0.1 is some other local peer, whose forwarded headers must count for nothing.
/// </summary>
[Collection(ProductCollection.Name)]
public sealed partial class when_the_product_is_served_behind_a_proxy(ProductFixture product) : IAsyncLifetime
{
    private const int AttemptsPerMinute = 3;
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.2");

    private WebApplicationFactory<Program> _host = null!;
    private Uri _address = null!;

    public Task InitializeAsync()
    {
        _host = product.CreateHost().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Security:KnownProxies:0", Proxy.ToString());
            builder.UseSetting("Security:SignInAttemptsPerMinute", AttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        _host.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _host.StartServer();
        _address = new Uri(_host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task the_sign_in_limit_counts_each_client_behind_the_proxy_on_its_own()
    {
        using var first = Client(from: Proxy, forwardedFor: "203.0.113.10");
        using var second = Client(from: Proxy, forwardedFor: "203.0.113.20");

        for (var attempt = 0; attempt < AttemptsPerMinute; attempt++)
        {
            (await WrongPasswordAsync(first)).ShouldBe(HttpStatusCode.OK);
        }

        (await WrongPasswordAsync(first)).ShouldBe(HttpStatusCode.TooManyRequests, "the first client used up its attempts");
        (await WrongPasswordAsync(second)).ShouldBe(HttpStatusCode.OK, "the second client, behind the same proxy, has its own");
    }

    [Fact]
    public async Task a_peer_that_is_not_a_configured_proxy_cannot_choose_its_address()
    {
        using var first = Client(from: IPAddress.Loopback, forwardedFor: "198.51.100.1");
        using var second = Client(from: IPAddress.Loopback, forwardedFor: "198.51.100.2");

        for (var attempt = 0; attempt < AttemptsPerMinute; attempt++)
        {
            (await WrongPasswordAsync(first)).ShouldBe(HttpStatusCode.OK);
        }

        (await WrongPasswordAsync(second)).ShouldBe(HttpStatusCode.TooManyRequests, "both are 127.0.0.1, whatever they say");
    }

    [Fact]
    public async Task over_https_at_the_proxy_cookies_are_secure_and_hsts_is_sent_and_not_when_an_unknown_peer_claims_it()
    {
        using var user = await product.NewUserAsync();

        using (var https = Client(from: Proxy, forwardedFor: "203.0.113.30", https: true))
        {
            var (signIn, cookies) = await SignInAsync(https, user);
            signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            cookies.ShouldContain(c => c.StartsWith("MailAccounts.Auth=", StringComparison.Ordinal) && IsSecure(c));
            cookies.ShouldContain(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal) && IsSecure(c));
            using var page = await https.GetAsync("/SignIn");
            page.Headers.GetValues("Strict-Transport-Security").Single().ShouldContain("max-age=");
        }

        using (var claims = Client(from: IPAddress.Loopback, forwardedFor: "203.0.113.31", https: true))
        {
            var (signIn, cookies) = await SignInAsync(claims, user);
            signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            cookies.ShouldContain(c => c.StartsWith("MailAccounts.Auth=", StringComparison.Ordinal));
            cookies.ShouldNotContain(c => IsSecure(c));
            signIn.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
        }
    }

    private static bool IsSecure(string setCookie) => setCookie.Split(';').Any(p => p.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A client that connects from the given loopback address and sends what a proxy adds. It keeps no cookies of its
    /// own: a Secure cookie would not go back over this plain connection, so the specs carry them by hand.
    /// </summary>
    private HttpClient Client(IPAddress from, string forwardedFor, bool https = false)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = _address };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", https ? "https" : "http");
        // HSTS is never sent to localhost names; the proxy serves the site under its own name.
        client.DefaultRequestHeaders.Host = "mail.crm.example";
        return client;
    }

    private static async Task<HttpStatusCode> WrongPasswordAsync(HttpClient client)
    {
        var (response, _) = await PostSignInAsync(client, "admin", "not-the-password");
        using (response)
        {
            return response.StatusCode;
        }
    }

    private static Task<(HttpResponseMessage Response, List<string> Cookies)> SignInAsync(HttpClient client, TestUser user) =>
        PostSignInAsync(client, user.Login, user.Password);

    /// <summary>The sign-in form as a browser posts it: the page first, then the form with its token and cookie.</summary>
    private static async Task<(HttpResponseMessage Response, List<string> Cookies)> PostSignInAsync(HttpClient client, string login, string password)
    {
        using var form = await client.GetAsync("/SignIn");
        var setCookies = form.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        var html = await form.Content.ReadAsStringAsync();
        var token = Dom.Parse(html).Field("__RequestVerificationToken")!;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/SignIn")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Login"] = login, ["Password"] = password, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", setCookies.Select(c => c.Split(';')[0])));
        var response = await client.SendAsync(post);
        if (response.Headers.TryGetValues("Set-Cookie", out var more))
        {
            setCookies.AddRange(more);
        }

        return (response, setCookies);
    }
}
