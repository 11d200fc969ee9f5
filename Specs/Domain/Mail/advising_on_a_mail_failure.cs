using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Specs.Domain.Mail;

/// <summary>
/// The advice for a failed stage (Infrastructure/Mail/MailAdvice.cs): a pure function of the failure's facts, so that
/// a failure recorded long ago gets the same advice, in whatever language the page is read.
/// </summary>
public sealed class advising_on_a_mail_failure
{
    private static MailFailure Failure(TestStage stage, FailureKind kind, string protocol = MailAdvice.Imap, string host = "mail.example.com",
        int port = 993, TransportSecurity security = TransportSecurity.SslOnConnect, string? login = "anna@example.com", string? words = null) =>
        new(stage, kind, protocol, host, port, security, login, words);

    [Fact]
    public void ssl_answered_by_a_plain_greeting_says_the_port_speaks_plain_text_or_starttls() =>
        MailAdvice.For(Failure(TestStage.Tls, FailureKind.TlsHandshake, port: 143))
            .ShouldBe(new Advice("Advice.PortSpeaksPlain", ["143", "993"]), new AdviceComparer());

    [Fact]
    public void starttls_on_an_ssl_port_that_stays_silent_says_to_tick_use_ssl() =>
        MailAdvice.For(Failure(TestStage.Connection, FailureKind.Silent, port: 465, protocol: MailAdvice.Smtp, security: TransportSecurity.StartTls))!
            .Key.ShouldBe("Advice.PortNeedsSsl");

    [Fact]
    public void a_silent_port_without_ssl_suggests_ssl_as_one_cause() =>
        MailAdvice.For(Failure(TestStage.Connection, FailureKind.Silent, port: 40123, security: TransportSecurity.StartTls))!
            .Key.ShouldBe("Advice.SilentMaybeSsl");

    [Theory]
    [InlineData("Syntax error in IMAP server greeting. Unexpected atom token: +OK", "POP3")]
    [InlineData("Syntax error in IMAP server greeting. Unexpected atom token: 220", "SMTP")]
    [InlineData("Unexpected token: HTTP/1.1", "HTTP")]
    public void a_greeting_of_another_protocol_names_it(string said, string protocol)
    {
        var advice = MailAdvice.For(Failure(TestStage.Connection, FailureKind.AnotherProtocol, words: MailAdvice.GreetingProtocol(said)))!;

        advice.Key.ShouldBe("Advice.AnotherProtocol");
        advice.Values.ShouldBe(["993", protocol, "IMAP"]);
    }

    [Fact]
    public void an_imap_greeting_to_a_pop3_client_says_that_port_is_imap() =>
        MailAdvice.For(Failure(TestStage.Connection, FailureKind.AnotherProtocol, protocol: MailAdvice.Pop3,
            words: MailAdvice.GreetingProtocol("Unexpected response from server: * OK [CAPABILITY IMAP4rev1] Dovecot ready.")))!
            .Values.ShouldBe(["993", "IMAP", "POP3"]);

    [Theory]
    [InlineData("anna@gmail.com", "imap.gmail.com", "Gmail")]
    [InlineData("anna@googlemail.com", "imap.gmail.com", "Gmail")]
    [InlineData("anna@yandex.ru", "imap.yandex.ru", "Yandex")]
    [InlineData("anna@mail.ru", "imap.mail.ru", "Mail.ru")]
    [InlineData("anna@outlook.com", "outlook.office365.com", "Outlook.com")]
    [InlineData("anna", "imap.gmail.com", "Gmail")]
    public void a_refused_password_at_a_provider_that_wants_app_passwords_says_so(string login, string host, string provider)
    {
        var advice = MailAdvice.For(Failure(TestStage.Authentication, FailureKind.SignInRefused, host: host, login: login))!;

        advice.Key.ShouldBe("Advice.AppPassword");
        advice.Values[0].ShouldStartWith(provider);
    }

    [Fact]
    public void a_refused_password_elsewhere_says_to_check_the_login_and_password() =>
        MailAdvice.For(Failure(TestStage.Authentication, FailureKind.SignInRefused, host: "mail.example.com"))
            .ShouldBe(new Advice("Advice.CheckPassword", ["anna@example.com"]), new AdviceComparer());

    [Theory]
    [InlineData(FailureKind.NameNotFound, "Advice.NameNotFound")]
    [InlineData(FailureKind.ConnectionRefused, "Advice.ConnectionRefused")]
    [InlineData(FailureKind.NotAccepted, "Advice.NotAccepted")]
    [InlineData(FailureKind.CertificateExpired, "Advice.CertificateExpired")]
    [InlineData(FailureKind.CertificateWrongName, "Advice.CertificateWrongName")]
    [InlineData(FailureKind.CertificateUntrusted, "Advice.CertificateUntrusted")]
    [InlineData(FailureKind.NoStartTls, "Advice.NoStartTls")]
    public void each_kind_of_trouble_has_its_advice(FailureKind kind, string key) =>
        MailAdvice.For(Failure(TestStage.Connection, kind, port: 40000))!.Key.ShouldBe(key);

    [Fact]
    public void trouble_of_no_known_kind_has_no_advice_and_the_servers_words_stand_alone() =>
        MailAdvice.For(Failure(TestStage.Folders, FailureKind.Other, words: "NO [SERVERBUG]")).ShouldBeNull();

    private sealed class AdviceComparer : IEqualityComparer<Advice?>
    {
        public bool Equals(Advice? x, Advice? y) => x?.Key == y?.Key && (x?.Values ?? []).SequenceEqual(y?.Values ?? []);

        public int GetHashCode(Advice? obj) => obj?.Key.GetHashCode(StringComparison.Ordinal) ?? 0;
    }
}
