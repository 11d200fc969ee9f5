using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailAccounts.Infrastructure.LocalServers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailAccounts.Specs.Support;

/// <summary>
/// A product whose resolver is a private DNS server (dnsmasq, from the local servers) and whose autoconfig fetches
/// meet a private HTTPS server (Kestrel, with a certificate from an authority made for the run and trusted through
/// <c>Discovery:TrustedAuthorities</c>), for the specs of Find settings. Each test domain finds its settings one way:
/// <list type="bullet">
/// <item><see cref="AutoconfigDomain"/>: an autoconfig document at <c>autoconfig.</c> of the domain, naming the private Dovecot and Postfix;</item>
/// <item><see cref="WellKnownDomain"/>: a document at the domain's well-known address only;</item>
/// <item><see cref="SrvDomain"/>: RFC 6186 SRV records (POP3 marked not offered);</item>
/// <item><see cref="HostedDomain"/>: an MX record under google.com;</item>
/// <item><see cref="ProductFixture.MailDomain"/>: nothing but <c>mail.</c> of the domain, found by guessing;</item>
/// <item><see cref="PrivateDomain"/>: a document naming servers in 10.0.0.0/8, which the policy refuses;</item>
/// <item><see cref="RebindDomain"/>: an autoconfig host in 10.0.0.0/8, which is never connected to;</item>
/// <item><see cref="NothingDomain"/>: nothing at all.</item>
/// </list>
/// Every mail server found is the private one under the name its certificate carries (<c>mail.specs.test</c>).
/// </summary>
public sealed class DiscoveryFixture : ProductFixture
{
    public const string AutoconfigDomain = "auto.test";
    public const string WellKnownDomain = "wellknown.test";
    public const string SrvDomain = "srv.test";
    public const string HostedDomain = "hosted.test";
    public const string PrivateDomain = "private.test";
    public const string RebindDomain = "rebind.test";
    public const string NothingDomain = "nothing.test";

    /// <summary>The private mail server's name in the private DNS: the one its certificate is for.</summary>
    public const string MailHost = "mail." + MailDomain;

    public const int TotalSeconds = 15;

    private PrivateDnsServer? _dns;
    private WebApplication? _autoconfig;

    public IPEndPoint DnsServer => _dns!.EndPoint;

    public int AutoconfigPort { get; private set; }

    public string AutoconfigAuthorityPath { get; private set; } = "";

    /// <summary>The host names the HTTPS server was asked for, in order, so that a spec can tell what was fetched.</summary>
    public IReadOnlyCollection<string> AutoconfigRequests => [.. _requests];

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _requests = new();

    protected override async Task<IReadOnlyDictionary<string, string>> ServersBesideAsync(string folder)
    {
        var mail = MailServer.Endpoints;
        var loopback = IPAddress.Loopback;
        var zone = new DnsZone("test")
            .Address(MailHost, loopback)
            .Address("autoconfig." + AutoconfigDomain, loopback)
            .Address(WellKnownDomain, loopback)
            .Srv("_imaps._tcp", SrvDomain, MailHost, mail.Imaps)
            .Srv("_imap._tcp", SrvDomain, MailHost, mail.Imap)
            .NotOffered("_pop3s._tcp", SrvDomain)
            .NotOffered("_pop3._tcp", SrvDomain)
            .Srv("_submissions._tcp", SrvDomain, MailHost, mail.Submissions)
            .Srv("_submission._tcp", SrvDomain, MailHost, mail.Smtp, priority: 10)
            .Mx(HostedDomain, "aspmx.l.google.com", 1)
            .Mx(HostedDomain, "alt1.aspmx.l.google.com", 5)
            .Address("autoconfig." + PrivateDomain, loopback)
            .Address("intranet." + PrivateDomain, IPAddress.Parse("10.20.30.40"))
            .Address("autoconfig." + RebindDomain, IPAddress.Parse("10.1.2.3"));
        _dns = await PrivateDnsServer.StartAsync(Path.Combine(folder, "dns"), zone);

        var tls = TlsMaterial.CreateOrReuse(Path.Combine(folder, "autoconfig-tls"), "MailAccounts specs autoconfig CA",
            ["autoconfig." + AutoconfigDomain, WellKnownDomain, "autoconfig." + PrivateDomain, "autoconfig." + RebindDomain]);
        AutoconfigAuthorityPath = tls.AuthorityCertificatePath;
        _autoconfig = StartAutoconfigServer(tls);
        await _autoconfig.StartAsync();
        AutoconfigPort = new Uri(_autoconfig.Urls.First()).Port;

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return new Dictionary<string, string>
        {
            ["Mail:DnsServer"] = DnsServer.ToString(),
            ["Discovery:AutoconfigPort"] = AutoconfigPort.ToString(invariant),
            ["Discovery:TrustedAuthorities:0"] = AutoconfigAuthorityPath,
            ["Discovery:TotalSeconds"] = TotalSeconds.ToString(invariant),
            // The guess probes the private server's ports instead of the standard ones, which only root could listen on.
            ["Discovery:ImapTlsPort"] = mail.Imaps.ToString(invariant),
            ["Discovery:ImapStartTlsPort"] = mail.Imap.ToString(invariant),
            ["Discovery:Pop3TlsPort"] = mail.Pop3s.ToString(invariant),
            ["Discovery:Pop3StartTlsPort"] = mail.Pop3.ToString(invariant),
            ["Discovery:SmtpTlsPort"] = mail.Submissions.ToString(invariant),
            ["Discovery:SmtpStartTlsPort"] = mail.Smtp.ToString(invariant),
        };
    }

    protected override async ValueTask StopServersBesideAsync()
    {
        if (_autoconfig is not null)
        {
            await _autoconfig.StopAsync();
            await _autoconfig.DisposeAsync();
        }

        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }
    }

    /// <summary>
    /// The autoconfig document of a domain as a provider publishes it, naming the private mail server. The login is the
    /// address's local part at the private server's domain, so that a user of <see cref="AutoconfigDomain"/> signs in
    /// to a real mailbox there, and the placeholder is proven filled in.
    /// </summary>
    public string DocumentFor(string domain) => domain switch
    {
        PrivateDomain => $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="{domain}">
                <domain>{domain}</domain>
                <displayName>Intranet mail</displayName>
                <incomingServer type="imap"><hostname>intranet.{domain}</hostname><port>993</port><socketType>SSL</socketType>
                  <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
                <outgoingServer type="smtp"><hostname>10.20.30.41</hostname><port>465</port><socketType>SSL</socketType>
                  <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
              </emailProvider>
            </clientConfig>
            """,
        _ => $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <clientConfig version="1.1">
              <emailProvider id="{domain}">
                <domain>{domain}</domain>
                <displayName>Example Mail of {domain}</displayName>
                <incomingServer type="imap"><hostname>{MailHost}</hostname><port>{MailServer.Endpoints.Imaps}</port><socketType>SSL</socketType>
                  <username>%EMAILLOCALPART%@{MailDomain}</username><authentication>password-cleartext</authentication></incomingServer>
                <incomingServer type="pop3"><hostname>{MailHost}</hostname><port>{MailServer.Endpoints.Pop3s}</port><socketType>SSL</socketType>
                  <username>%EMAILLOCALPART%@{MailDomain}</username><authentication>password-cleartext</authentication></incomingServer>
                <outgoingServer type="smtp"><hostname>{MailHost}</hostname><port>{MailServer.Endpoints.Smtp}</port><socketType>STARTTLS</socketType>
                  <username>%EMAILLOCALPART%@{MailDomain}</username><authentication>password-cleartext</authentication></outgoingServer>
                <outgoingServer type="smtp"><hostname>{MailHost}</hostname><port>{MailServer.Endpoints.Submissions}</port><socketType>SSL</socketType>
                  <username>%EMAILLOCALPART%@{MailDomain}</username><authentication>password-cleartext</authentication></outgoingServer>
              </emailProvider>
            </clientConfig>
            """,
    };

    private WebApplication StartAutoconfigServer(TlsMaterial tls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        using var pem = X509Certificate2.CreateFromPemFile(tls.ServerCertificatePath, tls.ServerKeyPath);
        // Exported and loaded again: Kestrel on Linux needs a certificate whose key it can use, not a PEM-bound one.
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.MapGet("/mail/config-v1.1.xml", (HttpContext context) => Serve(context, "autoconfig."));
        app.MapGet("/.well-known/autoconfig/mail/config-v1.1.xml", (HttpContext context) => Serve(context, ""));
        return app;
    }

    private IResult Serve(HttpContext context, string prefix)
    {
        var host = context.Request.Host.Host.ToLowerInvariant();
        _requests.Enqueue(host + context.Request.Path + context.Request.QueryString);
        if (!host.StartsWith(prefix, StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var domain = host[prefix.Length..];
        // The well-known domain publishes its document only at the well-known address; the others only at autoconfig.
        var publishes = prefix.Length > 0 ? domain is AutoconfigDomain or PrivateDomain or RebindDomain : domain == WellKnownDomain;
        return publishes ? Results.Text(DocumentFor(domain), "text/xml") : Results.NotFound();
    }
}

/// <summary>The specs of Find settings, over a product with a private DNS server and autoconfig server of its own.</summary>
[CollectionDefinition(Name)]
public sealed class DiscoveryCollection : ICollectionFixture<DiscoveryFixture>
{
    public const string Name = "product: discovery";
}
