using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Discovery;

namespace MailAccounts.Specs.Domain.Discovery;

/// <summary>RFC 6186 SRV records and MX hosts, as the lookups read them.</summary>
public sealed class reading_srv_and_mx_records
{
    private static readonly MailAddressParts Anna = MailAddressParts.Of("anna@example.ru")!;

    [Fact]
    public void each_service_gives_its_protocol_and_security_and_the_login_is_the_whole_address()
    {
        var found = DnsRecords.FromSrv(
        [
            new SrvAnswer("_submission._tcp", "smtp.example.ru.", 587, 0, 0),
            new SrvAnswer("_imap._tcp", "imap.example.ru.", 143, 0, 0),
            new SrvAnswer("_pop3s._tcp", "pop.example.ru.", 995, 0, 0),
            new SrvAnswer("_imaps._tcp", "Imap.Example.RU.", 993, 0, 0),
            new SrvAnswer("_submissions._tcp", "smtp.example.ru.", 465, 0, 0),
            new SrvAnswer("_pop3._tcp", "pop.example.ru.", 110, 0, 0),
        ], Anna);

        found.Source.ShouldBe(SettingsSource.Srv);
        found.Servers.Select(s => (s.Role, s.Endpoint)).ShouldBe(
        [
            (ServerRole.Imap, new ServerEndpoint("imap.example.ru", 993, TransportSecurity.SslOnConnect)),
            (ServerRole.Imap, new ServerEndpoint("imap.example.ru", 143, TransportSecurity.StartTls)),
            (ServerRole.Pop3, new ServerEndpoint("pop.example.ru", 995, TransportSecurity.SslOnConnect)),
            (ServerRole.Pop3, new ServerEndpoint("pop.example.ru", 110, TransportSecurity.StartTls)),
            (ServerRole.Smtp, new ServerEndpoint("smtp.example.ru", 465, TransportSecurity.SslOnConnect)),
            (ServerRole.Smtp, new ServerEndpoint("smtp.example.ru", 587, TransportSecurity.StartTls)),
        ]);
        found.Servers.ShouldAllBe(s => s.Login == "anna@example.ru");
    }

    [Fact]
    public void a_target_of_a_dot_means_the_service_is_not_offered()
    {
        var found = DnsRecords.FromSrv([new SrvAnswer("_pop3s._tcp", ".", 0, 0, 0), new SrvAnswer("_imaps._tcp", "imap.example.ru.", 993, 0, 0)], Anna);

        found.Servers.ShouldHaveSingleItem().Role.ShouldBe(ServerRole.Imap);
        DnsRecords.FromSrv([new SrvAnswer("_imaps._tcp", ".", 0, 0, 0)], Anna).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void within_a_service_a_lower_priority_comes_first_then_a_higher_weight()
    {
        var found = DnsRecords.FromSrv(
        [
            new SrvAnswer("_imaps._tcp", "backup.example.ru", 993, 20, 100),
            new SrvAnswer("_imaps._tcp", "light.example.ru", 993, 10, 1),
            new SrvAnswer("_imaps._tcp", "heavy.example.ru", 993, 10, 50),
        ], Anna);

        found.Servers.Select(s => s.Endpoint.Host).ShouldBe(["heavy.example.ru", "light.example.ru", "backup.example.ru"]);
    }

    [Fact]
    public void a_record_with_a_port_or_target_that_is_not_one_names_no_server()
    {
        DnsRecords.FromSrv([new SrvAnswer("_imaps._tcp", "imap.example.ru", 0, 0, 0), new SrvAnswer("_imaps._tcp", "bad name!", 993, 0, 0),
            new SrvAnswer("_ldap._tcp", "ldap.example.ru", 389, 0, 0)], Anna).IsEmpty.ShouldBeTrue();
    }

    [Theory]
    [InlineData("aspmx.l.google.com.", "google.com")]
    [InlineData("ASPMX.L.GOOGLE.COM", "google.com")]
    [InlineData("example-ru.mail.protection.outlook.com", "outlook.com")]
    [InlineData("mx.yandex.net.", "yandex.net")]
    [InlineData("google.com", "google.com")]
    public void an_mx_host_matches_the_hosting_domain_it_lies_under(string exchange, string matched)
    {
        DnsRecords.MatchMx([new MxAnswer(exchange, 10)], ["google.com", "outlook.com", "yandex.net"])!.Value.MatchedDomain.ShouldBe(matched);
    }

    [Theory]
    [InlineData("notgoogle.com")]
    [InlineData("google.com.evil.example")]
    [InlineData("mx.example.ru")]
    public void an_mx_host_that_only_looks_like_a_hosting_domain_matches_nothing(string exchange)
    {
        DnsRecords.MatchMx([new MxAnswer(exchange, 10)], ["google.com"]).ShouldBeNull();
    }

    [Fact]
    public void the_mx_with_the_lowest_preference_decides()
    {
        var answers = new[] { new MxAnswer("mx.yandex.net", 20), new MxAnswer("aspmx.l.google.com", 5), new MxAnswer("mx.example.ru", 1) };

        DnsRecords.MatchMx(answers, ["google.com", "yandex.net"])!.Value.ShouldBe(("aspmx.l.google.com", "google.com"));
    }
}
