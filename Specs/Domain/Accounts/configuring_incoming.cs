using MailAccounts.Domain.Accounts;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>SaveAccount's incoming part (Domain/Accounts/ConfiguringIncoming.cs): IncomingServerConfigured.</summary>
public sealed class configuring_incoming
{
    [Fact]
    public void the_host_is_kept_in_lower_case() =>
        Given.Account().When(Save(Form)).Events.OfType<IncomingServerConfigured>().Single()
            .ShouldBe(new IncomingServerConfigured(Id, IncomingProtocol.Imap, "imap.example.com", 993, TransportSecurity.SslOnConnect, Owner, Now));

    [Theory]
    [InlineData(IncomingProtocol.Imap, TransportSecurity.SslOnConnect, 993)]
    [InlineData(IncomingProtocol.Imap, TransportSecurity.StartTls, 143)]
    [InlineData(IncomingProtocol.Pop3, TransportSecurity.SslOnConnect, 995)]
    [InlineData(IncomingProtocol.Pop3, TransportSecurity.StartTls, 110)]
    public void the_port_follows_protocol_and_ssl_unless_typed(IncomingProtocol protocol, TransportSecurity security, int port)
    {
        Given.Account().When(Save(Form with { Protocol = protocol, Security = security }))
            .Events.OfType<IncomingServerConfigured>().Single().Port.ShouldBe(port);
        Given.Account().When(Save(Form with { Protocol = protocol, Security = security, Port = 10993 }))
            .Events.OfType<IncomingServerConfigured>().Single().Port.ShouldBe(10993);
    }

    [Fact]
    public void a_host_typed_in_another_case_is_no_change() =>
        Given.Account(Created).When(Save(Unchanged with { Host = "Imap.Example.COM" })).ThenNothing();

    [Theory]
    [InlineData("", AccountViolations.HostRequired)]
    [InlineData("imap://example.com", AccountViolations.HostInvalid)]
    [InlineData("imap.example.com:993", AccountViolations.HostInvalid)]
    public void a_server_that_is_not_a_host_name_is_refused(string host, string code) =>
        Given.Account().When(Save(Form with { Host = host })).ThenRefused("Host", code);

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public void a_port_outside_1_to_65535_is_refused(int port) =>
        Given.Account().When(Save(Form with { Port = port })).ThenRefused("Port", AccountViolations.PortInvalid);

    [Fact]
    public void a_protocol_or_security_that_is_not_offered_is_refused()
    {
        Given.Account().When(Save(Form with { Protocol = (IncomingProtocol)7 })).ThenRefused("Protocol", AccountViolations.ChoiceInvalid);
        Given.Account().When(Save(Form with { Security = (TransportSecurity)7, Port = 993 })).ThenRefused("Security", AccountViolations.ChoiceInvalid);
    }
}
