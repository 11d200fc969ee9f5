using System.Net;
using MailKit.Net.Imap;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Specs.Integration.Mail;

/// <summary>
/// Users type server names; the product must not become a way to reach the internal network or a cloud's
/// metadata service. The policy is applied to the address actually connected to.
/// </summary>
public sealed class when_settings_point_at_private_networks
{
    private static MailConnector Connector(MailOptions options) =>
        new(options, new MailNetworkPolicy(options), CertificatePolicy.SystemRootsOnly, new MailResolver(options));

    public static TheoryData<string> PrivateHosts() =>
    [
        "127.0.0.1", "::1", "localhost", "10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "fc00::1", "fd00:ec2::254", "fe80::1",
        // The same addresses written in other forms.
        "2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "[::1]",
    ];

    [Theory]
    [MemberData(nameof(PrivateHosts))]
    public async Task every_private_form_is_refused_before_any_connection(string host)
    {
        var report = new TestReport();
        using var client = new ImapClient();

        var connected = await Connector(new MailOptions { TimeoutSeconds = 2 })
            .ConnectAsync(client, new ServerEndpoint(host, 993, TransportSecurity.SslOnConnect), [], report, CancellationToken.None);

        connected.ShouldBeFalse();
        report.Stages.ShouldNotContain(s => s.Stage == TestStage.Connection && s.Succeeded);
        var failure = report.Failure.ShouldNotBeNull();
        failure.Stage.ShouldBe(TestStage.Connection, failure.Detail);
        failure.Detail.ShouldContain("private or reserved network");
    }

    [Fact]
    public void an_administrator_can_allow_a_network_and_only_that_network()
    {
        var policy = new MailNetworkPolicy(new MailOptions { AllowedPrivateNetworks = ["10.20.0.0/16"] });

        policy.Refusal(IPAddress.Parse("10.20.3.4"), 993).ShouldBeNull();
        policy.Refusal(IPAddress.Parse("10.21.3.4"), 993).ShouldNotBeNull();
        policy.Refusal(IPAddress.Parse("::ffff:10.20.3.4"), 993).ShouldBeNull();
    }

    /// <summary>IPv6 addresses that a translator or relay turns into a private IPv4 address, and site-local ones.</summary>
    public static TheoryData<string> PrivateAddressesInIPv6() =>
    [
        // NAT64, the well-known prefix and a local-use one in its /96 and /48 layouts (10.0.0.1, 127.0.0.1, 10.0.1.0).
        "64:ff9b::a00:1", "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "64:ff9b:1:a00:1::",
        // 6to4 of 10.0.0.1 and 127.0.0.1.
        "2002:a00:1::1", "2002:7f00:1::",
        // IPv4-compatible and IPv4-translated (SIIT).
        "::10.0.0.1", "::127.0.0.1", "::ffff:0:10.0.0.1", "::ffff:0:169.254.169.254",
        // Teredo with a private server, and with a private client (stored inverted).
        "2001:0:a00:1::", "2001:0:4136:e378:8000:63bf:f5ff:fffe",
        // Site-local.
        "fec0::1",
    ];

    [Theory]
    [MemberData(nameof(PrivateAddressesInIPv6))]
    public async Task ipv6_forms_of_private_addresses_are_refused_before_any_connection(string host)
    {
        new MailNetworkPolicy(new MailOptions()).Refusal(IPAddress.Parse(host), 993).ShouldNotBeNull(host)
            .ToString().ShouldContain("private or reserved network");

        await every_private_form_is_refused_before_any_connection(host);
    }

    [Fact]
    public void ipv6_forms_of_public_or_allowed_addresses_are_judged_by_the_address_they_carry()
    {
        var policy = new MailNetworkPolicy(new MailOptions { AllowedPrivateNetworks = ["10.20.0.0/16"] });

        policy.Refusal(IPAddress.Parse("64:ff9b::203.0.113.10"), 993).ShouldBeNull();
        policy.Refusal(IPAddress.Parse("2002:cb00:710a::1"), 993).ShouldBeNull();
        policy.Refusal(IPAddress.Parse("64:ff9b::10.20.3.4"), 993).ShouldBeNull();
        policy.Refusal(IPAddress.Parse("64:ff9b::10.21.3.4"), 993).ShouldNotBeNull();
    }

    [Fact]
    public void an_allowed_network_opens_its_mail_ports_and_only_the_ports_an_administrator_added()
    {
        var policy = new MailNetworkPolicy(new MailOptions { AllowedPrivateNetworks = ["10.20.0.0/16"], AllowedPorts = [1993] });

        policy.Refusal(IPAddress.Parse("10.20.3.4"), 993).ShouldBeNull();
        policy.Refusal(IPAddress.Parse("10.20.3.4"), 1993).ShouldBeNull();
        policy.Refusal(IPAddress.Parse("10.20.3.4"), 5432).ShouldNotBeNull().ToString().ShouldContain("not a mail port");
        policy.Refusal(IPAddress.Parse("10.20.3.4"), 22).ShouldNotBeNull().ToString().ShouldContain("not a mail port");
    }

    [Fact]
    public async Task a_service_that_is_not_a_mail_server_is_named_as_such_without_repeating_its_greeting()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            using var connection = await listener.AcceptTcpClientAsync();
            await connection.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.2p1 internal-build-host\r\n"u8.ToArray());
            // Stays open until the client gives up, as an SSH server waits for the client's version line.
            var buffer = new byte[256];
            while (await connection.GetStream().ReadAsync(buffer) > 0)
            {
            }
        });
        var options = new MailOptions { TimeoutSeconds = 5, AllowedPrivateNetworks = ["127.0.0.0/8"], AllowedPorts = [port] };
        var report = new TestReport();
        using var client = new ImapClient();

        var connected = await Connector(options).ConnectAsync(
            client, new ServerEndpoint("127.0.0.1", port, TransportSecurity.StartTls), [], report, CancellationToken.None);

        connected.ShouldBeFalse();
        var failure = report.Failure.ShouldNotBeNull();
        failure.Stage.ShouldBe(TestStage.Connection, failure.Detail);
        failure.Detail.ShouldContain("did not answer as a mail server");
        failure.Detail.ShouldNotContain("SSH", Case.Insensitive);
        failure.Detail.ShouldNotContain("internal-build-host");
        listener.Stop();
        try
        {
            await serving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException)
        {
            // The connector hung up without a word, as it should.
        }
    }

    [Theory]
    [InlineData(25)]
    [InlineData(465)]
    [InlineData(587)]
    [InlineData(2525)]
    [InlineData(110)]
    [InlineData(995)]
    [InlineData(143)]
    [InlineData(993)]
    public void public_servers_are_reached_on_mail_ports(int port) =>
        new MailNetworkPolicy(new MailOptions()).Refusal(IPAddress.Parse("203.0.113.10"), port).ShouldBeNull();

    [Fact]
    public void other_ports_need_an_administrators_permission()
    {
        new MailNetworkPolicy(new MailOptions()).Refusal(IPAddress.Parse("203.0.113.10"), 8080).ShouldNotBeNull().ToString().ShouldContain("not a mail port");
        new MailNetworkPolicy(new MailOptions { AllowedPorts = [8080] }).Refusal(IPAddress.Parse("203.0.113.10"), 8080).ShouldBeNull();
    }

    [Fact]
    public void a_malformed_network_in_the_configuration_is_an_error_at_start() =>
        Should.Throw<InvalidOperationException>(() => new MailNetworkPolicy(new MailOptions { AllowedPrivateNetworks = ["10.0.0.0/33"] }));

    [Fact]
    public async Task unencrypted_connections_are_refused_unless_an_administrator_allowed_the_host()
    {
        var report = new TestReport();
        using var client = new ImapClient();

        await Connector(new MailOptions()).ConnectAsync(client, new ServerEndpoint("imap.example.com", 143, TransportSecurity.None), [], report, CancellationToken.None);

        report.Failure.ShouldNotBeNull().Stage.ShouldBe(TestStage.Tls);
        report.Stages.Count.ShouldBe(1);
    }

    [Fact]
    public void one_user_may_run_only_so_many_tests_a_minute()
    {
        using var limiter = new MailTestLimiter(new MailOptions { TestsPerMinute = 2 });
        var user = Guid.NewGuid();

        limiter.TryAcquire(user).ShouldBeTrue();
        limiter.TryAcquire(user).ShouldBeTrue();
        limiter.TryAcquire(user).ShouldBeFalse();
        limiter.TryAcquire(Guid.NewGuid()).ShouldBeTrue();
    }
}
