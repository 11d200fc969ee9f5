using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Discovery;

namespace MailAccounts.Specs.Domain.Discovery;

/// <summary>What a guess probes, in order: the usual names of the domain, implicit TLS before STARTTLS, never plain text.</summary>
public sealed class planning_a_guess
{
    private static readonly MailAddressParts Anna = MailAddressParts.Of("anna@example.ru")!;

    [Fact]
    public void incoming_tries_imap_then_mail_for_imap_then_pop_then_mail_for_pop3_with_tls_first_on_each()
    {
        GuessPlan.Incoming(Anna, new GuessPorts()).Select(s => (s.Role, s.Endpoint)).ShouldBe(
        [
            (ServerRole.Imap, new ServerEndpoint("imap.example.ru", 993, TransportSecurity.SslOnConnect)),
            (ServerRole.Imap, new ServerEndpoint("imap.example.ru", 143, TransportSecurity.StartTls)),
            (ServerRole.Imap, new ServerEndpoint("mail.example.ru", 993, TransportSecurity.SslOnConnect)),
            (ServerRole.Imap, new ServerEndpoint("mail.example.ru", 143, TransportSecurity.StartTls)),
            (ServerRole.Pop3, new ServerEndpoint("pop.example.ru", 995, TransportSecurity.SslOnConnect)),
            (ServerRole.Pop3, new ServerEndpoint("pop.example.ru", 110, TransportSecurity.StartTls)),
            (ServerRole.Pop3, new ServerEndpoint("mail.example.ru", 995, TransportSecurity.SslOnConnect)),
            (ServerRole.Pop3, new ServerEndpoint("mail.example.ru", 110, TransportSecurity.StartTls)),
        ]);
    }

    [Fact]
    public void outgoing_tries_smtp_then_mail_with_tls_first_on_each()
    {
        GuessPlan.Outgoing(Anna, new GuessPorts()).Select(s => s.Endpoint).ShouldBe(
        [
            new ServerEndpoint("smtp.example.ru", 465, TransportSecurity.SslOnConnect),
            new ServerEndpoint("smtp.example.ru", 587, TransportSecurity.StartTls),
            new ServerEndpoint("mail.example.ru", 465, TransportSecurity.SslOnConnect),
            new ServerEndpoint("mail.example.ru", 587, TransportSecurity.StartTls),
        ]);
    }

    [Fact]
    public void nothing_is_ever_planned_without_encryption_and_the_login_is_the_address()
    {
        GuessPlan.Incoming(Anna, new GuessPorts()).Concat(GuessPlan.Outgoing(Anna, new GuessPorts()))
            .ShouldAllBe(s => s.Endpoint.Security != TransportSecurity.None && s.Login == "anna@example.ru");
    }

    [Fact]
    public void configured_ports_replace_the_standard_ones()
    {
        var plan = GuessPlan.Incoming(Anna, new GuessPorts(ImapTls: 10993, ImapStartTls: 10143));

        plan[0].Endpoint.Port.ShouldBe(10993);
        plan[1].Endpoint.Port.ShouldBe(10143);
    }
}
