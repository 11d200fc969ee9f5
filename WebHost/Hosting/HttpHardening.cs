using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace MailAccounts.WebHost.Hosting;

/// <summary>
/// What every answer tells the browser, and whom the host believes about the client: a reverse proxy's
/// X-Forwarded-For and X-Forwarded-Proto count only when the connection comes from a proxy named in
/// <c>Security:KnownProxies</c> (addresses) or <c>Security:KnownNetworks</c> (CIDR ranges).
/// </summary>
internal static class HttpHardening
{
    public static void AddHttpHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core believes loopback by default, which is any local process: only what is configured counts.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("Security:KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"Security:KnownProxies: \"{proxy}\" is not an IP address."));
            }

            foreach (var network in configuration.GetSection("Security:KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range)
                    ? range
                    : throw new InvalidOperationException($"Security:KnownNetworks: \"{network}\" is not a CIDR range such as 10.0.0.0/8."));
            }
        });
        // The anti-forgery cookie is not Secure by default even over HTTPS; the sign-in cookie is when the request is.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
    }

    /// <summary>
    /// No other site may frame a page (clickjacking), no answer is sniffed into another type, and addresses of the
    /// product do not leave it in a Referer. A page's own Content-Security-Policy is kept and only gains
    /// frame-ancestors; a page's own Referrer-Policy wins.
    /// </summary>
    public static void UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Set as the answer starts, so that an error page written after the headers were cleared gets them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            if (string.IsNullOrEmpty(headers["Referrer-Policy"]))
            {
                headers["Referrer-Policy"] = "same-origin";
            }

            var policy = headers.ContentSecurityPolicy.ToString();
            if (!policy.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                headers.ContentSecurityPolicy = policy.Length == 0 ? "frame-ancestors 'none'" : policy.TrimEnd(' ', ';') + "; frame-ancestors 'none'";
            }

            return Task.CompletedTask;
        });
        await next(context);
    });
}
