using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;
using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Integration.MailServers;

/// <summary>
/// The private mail server's deliberate faults, on the same port numbers as its good behaviour: a certificate nobody
/// trusts on <see cref="MisbehavingEndpoints.UntrustedHost"/>, no TLS at all on <see cref="MisbehavingEndpoints.NoTlsHost"/>,
/// and a port that accepts and then stays silent. The account connection test is checked against these.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_the_test_server_misbehaves_on_purpose(ProductFixture product)
{
    private MailServerEndpoints Endpoints => product.MailServer.Endpoints;

    private MisbehavingEndpoints Misbehaving => product.Misbehaving;

    private CertificatePolicy ProductPolicy => product.Services.GetRequiredService<CertificatePolicy>();

    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    [InlineData("smtp")]
    public async Task the_well_behaved_host_passes_the_products_certificate_policy_on_both_tls_ports(string protocol)
    {
        foreach (var (port, options) in new[] { (ImplicitTlsPort(protocol), SecureSocketOptions.SslOnConnect), (PlainPort(protocol), SecureSocketOptions.StartTls) })
        {
            using var client = NewClient(protocol);
            client.ServerCertificateValidationCallback = ProductPolicy.Validate;

            await client.ConnectAsync(Endpoints.Host, port, options);

            client.IsSecure.ShouldBeTrue();
            await client.DisconnectAsync(true);
        }
    }

    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    [InlineData("smtp")]
    public async Task the_untrusted_host_fails_the_handshake_on_the_implicit_tls_port(string protocol)
    {
        using var client = NewClient(protocol);
        client.ServerCertificateValidationCallback = ProductPolicy.Validate;

        await Should.ThrowAsync<SslHandshakeException>(() =>
            client.ConnectAsync(Misbehaving.UntrustedHost, ImplicitTlsPort(protocol), SecureSocketOptions.SslOnConnect));
    }

    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    [InlineData("smtp")]
    public async Task the_untrusted_host_fails_the_handshake_after_starttls(string protocol)
    {
        using var client = NewClient(protocol);
        client.ServerCertificateValidationCallback = ProductPolicy.Validate;

        await Should.ThrowAsync<SslHandshakeException>(() =>
            client.ConnectAsync(Misbehaving.UntrustedHost, PlainPort(protocol), SecureSocketOptions.StartTls));
    }

    [Fact]
    public async Task the_untrusted_certificate_names_its_host_but_comes_from_an_authority_nobody_trusts()
    {
        X509Certificate2? presented = null;
        var errors = SslPolicyErrors.None;
        using var client = new ImapClient
        {
            ServerCertificateValidationCallback = (sender, certificate, chain, policyErrors) =>
            {
                presented = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                errors = policyErrors;
                return ProductPolicy.Validate(sender, certificate, chain, policyErrors);
            },
        };

        await Should.ThrowAsync<SslHandshakeException>(() =>
            client.ConnectAsync(Misbehaving.UntrustedHost, Endpoints.Imaps, SecureSocketOptions.SslOnConnect));

        using var testAuthority = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(Endpoints.AuthorityCertificatePath));
        using var certificate = presented.ShouldNotBeNull();
        errors.ShouldBe(SslPolicyErrors.RemoteCertificateChainErrors);
        certificate.MatchesHostname(Misbehaving.UntrustedHost, allowWildcards: false, allowCommonName: false).ShouldBeTrue();
        certificate.IssuerName.Name.ShouldNotBe(testAuthority.SubjectName.Name);
    }

    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    [InlineData("smtp")]
    public async Task the_no_tls_host_offers_no_starttls(string protocol)
    {
        using var client = NewClient(protocol);
        client.ServerCertificateValidationCallback = ProductPolicy.Validate;

        await Should.ThrowAsync<NotSupportedException>(() =>
            client.ConnectAsync(Misbehaving.NoTlsHost, PlainPort(protocol), SecureSocketOptions.StartTls));
    }

    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    [InlineData("smtp")]
    public async Task the_no_tls_host_serves_nothing_on_the_implicit_tls_port(string protocol)
    {
        using var client = NewClient(protocol);
        client.ServerCertificateValidationCallback = ProductPolicy.Validate;

        var refused = await Should.ThrowAsync<SocketException>(() =>
            client.ConnectAsync(Misbehaving.NoTlsHost, ImplicitTlsPort(protocol), SecureSocketOptions.SslOnConnect));

        refused.SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
    }

    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    [InlineData("smtp")]
    public async Task the_no_tls_host_lets_a_client_that_allows_no_encryption_sign_in(string protocol)
    {
        var address = $"{Guid.NewGuid():N}"[..12] + "@" + ProductFixture.MailDomain;
        var password = "mailbox-" + Guid.NewGuid().ToString("N");
        await product.MailServer.SetMailboxAsync(address, password);
        using var client = NewClient(protocol);

        await client.ConnectAsync(Misbehaving.NoTlsHost, PlainPort(protocol), SecureSocketOptions.None);
        await client.AuthenticateAsync(address, password);

        client.IsAuthenticated.ShouldBeTrue();
        client.IsSecure.ShouldBeFalse();
        await client.DisconnectAsync(true);
    }

    [Theory]
    [InlineData("imap")]
    [InlineData("pop3")]
    [InlineData("smtp")]
    public async Task the_silent_port_accepts_the_connection_and_the_client_times_out_waiting_for_a_greeting(string protocol)
    {
        using var client = NewClient(protocol);
        client.Timeout = 1000;
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();

        var failure = await Should.ThrowAsync<Exception>(() =>
            client.ConnectAsync(Endpoints.Host, Misbehaving.SilentPort, SecureSocketOptions.None, giveUp.Token));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        (failure is TimeoutException or IOException).ShouldBeTrue($"{failure.GetType()}: {failure.Message}");
    }

    private static MailService NewClient(string protocol) => protocol switch
    {
        "imap" => new ImapClient(),
        "pop3" => new Pop3Client(),
        "smtp" => new SmtpClient(),
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    private int PlainPort(string protocol) => protocol switch
    {
        "imap" => Endpoints.Imap,
        "pop3" => Endpoints.Pop3,
        "smtp" => Endpoints.Smtp,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    private int ImplicitTlsPort(string protocol) => protocol switch
    {
        "imap" => Endpoints.Imaps,
        "pop3" => Endpoints.Pop3s,
        "smtp" => Endpoints.Submissions,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };
}
