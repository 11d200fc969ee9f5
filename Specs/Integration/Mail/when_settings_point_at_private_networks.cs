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
        new(options, new MailNetworkPolicy(options), CertificatePolicy.SystemRootsOnly);

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
