using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Discovery;

namespace MailAccounts.Specs.Domain.Discovery;

/// <summary>Which of the servers a lookup found the form gets: encrypted only, implicit TLS first, the user's protocol first.</summary>
public sealed class choosing_the_found_settings
{
    private static FoundServer Server(ServerRole role, string host, int port, TransportSecurity security) =>
        new(role, new ServerEndpoint(host, port, security), "anna@example.ru");

    private static readonly FoundServer ImapPlain = Server(ServerRole.Imap, "imap.example.ru", 143, TransportSecurity.None);
    private static readonly FoundServer ImapStartTls = Server(ServerRole.Imap, "imap.example.ru", 143, TransportSecurity.StartTls);
    private static readonly FoundServer ImapTls = Server(ServerRole.Imap, "imap.example.ru", 993, TransportSecurity.SslOnConnect);
    private static readonly FoundServer Pop3Tls = Server(ServerRole.Pop3, "pop.example.ru", 995, TransportSecurity.SslOnConnect);
    private static readonly FoundServer SmtpPlain = Server(ServerRole.Smtp, "smtp.example.ru", 25, TransportSecurity.None);
    private static readonly FoundServer SmtpStartTls = Server(ServerRole.Smtp, "smtp.example.ru", 587, TransportSecurity.StartTls);
    private static readonly FoundServer SmtpTls = Server(ServerRole.Smtp, "smtp.example.ru", 465, TransportSecurity.SslOnConnect);

    [Fact]
    public void implicit_tls_comes_before_starttls_whatever_the_order_found()
    {
        SettingsChoice.Incoming([ImapPlain, ImapStartTls, ImapTls], IncomingProtocol.Imap).ShouldBe(ImapTls);
        SettingsChoice.Outgoing([SmtpPlain, SmtpStartTls, SmtpTls]).ShouldBe(SmtpTls);
    }

    [Fact]
    public void starttls_is_chosen_when_there_is_no_implicit_tls()
    {
        SettingsChoice.Incoming([ImapPlain, ImapStartTls], IncomingProtocol.Imap).ShouldBe(ImapStartTls);
        SettingsChoice.Outgoing([SmtpPlain, SmtpStartTls]).ShouldBe(SmtpStartTls);
    }

    [Fact]
    public void plain_text_is_never_chosen_and_that_only_plain_was_found_is_said()
    {
        SettingsChoice.Incoming([ImapPlain], IncomingProtocol.Imap).ShouldBeNull();
        SettingsChoice.Outgoing([SmtpPlain]).ShouldBeNull();
        SettingsChoice.OnlyPlainFound([ImapPlain, SmtpTls], incoming: true).ShouldBeTrue();
        SettingsChoice.OnlyPlainFound([ImapPlain, SmtpTls], incoming: false).ShouldBeFalse();
        SettingsChoice.OnlyPlainFound([SmtpTls], incoming: true).ShouldBeFalse();
    }

    [Fact]
    public void imap_comes_before_pop3_unless_the_user_chose_pop3()
    {
        SettingsChoice.Incoming([Pop3Tls, ImapStartTls], IncomingProtocol.Imap).ShouldBe(ImapStartTls);
        SettingsChoice.Incoming([ImapTls, Pop3Tls], IncomingProtocol.Pop3).ShouldBe(Pop3Tls);
    }

    [Fact]
    public void pop3_is_taken_when_it_is_all_there_is()
    {
        SettingsChoice.Incoming([Pop3Tls, SmtpTls], IncomingProtocol.Imap).ShouldBe(Pop3Tls);
    }

    [Fact]
    public void among_equals_the_sources_own_order_stands()
    {
        var first = Server(ServerRole.Imap, "imap1.example.ru", 993, TransportSecurity.SslOnConnect);
        var second = Server(ServerRole.Imap, "imap2.example.ru", 993, TransportSecurity.SslOnConnect);

        SettingsChoice.Incoming([first, second], IncomingProtocol.Imap).ShouldBe(first);
        SettingsChoice.Incoming([second, first], IncomingProtocol.Imap).ShouldBe(second);
    }

    [Fact]
    public void incoming_servers_are_never_chosen_for_outgoing_mail_nor_the_other_way_round()
    {
        SettingsChoice.Outgoing([ImapTls, Pop3Tls]).ShouldBeNull();
        SettingsChoice.Incoming([SmtpTls], IncomingProtocol.Imap).ShouldBeNull();
    }
}
