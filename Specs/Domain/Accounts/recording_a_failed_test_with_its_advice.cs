using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Mail;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>
/// A failed test is recorded with the facts its advice comes from (Domain/Accounts/RecordingTests.cs, kept by
/// Infrastructure/Accounts/AccountTestOutcome.cs): the event read back later gives the advice the report gave, for
/// every kind of trouble, while its Detail keeps the one English line it always had.
/// </summary>
public sealed class recording_a_failed_test_with_its_advice
{
    public static TheoryData<string, TestStage, FailureKind, string, int, TransportSecurity, string?, string, string> Cases => new()
    {
        { "imap.example.com", TestStage.NameResolution, FailureKind.NameNotFound, MailAdvice.Imap, 993, TransportSecurity.SslOnConnect, "Name or service not known", "anna@example.com", "Advice.NameNotFound" },
        { "imap.example.com", TestStage.Connection, FailureKind.ConnectionRefused, MailAdvice.Imap, 993, TransportSecurity.SslOnConnect, "Connection refused", "anna@example.com", "Advice.ConnectionRefused" },
        { "imap.example.com", TestStage.Connection, FailureKind.Silent, MailAdvice.Imap, 993, TransportSecurity.StartTls, null, "anna@example.com", "Advice.PortNeedsSsl" },
        { "imap.example.com", TestStage.Connection, FailureKind.Silent, MailAdvice.Imap, 40123, TransportSecurity.StartTls, null, "anna@example.com", "Advice.SilentMaybeSsl" },
        { "imap.example.com", TestStage.Connection, FailureKind.Silent, MailAdvice.Imap, 40123, TransportSecurity.SslOnConnect, null, "anna@example.com", "Advice.Silent" },
        { "imap.example.com", TestStage.Connection, FailureKind.NotAccepted, MailAdvice.Imap, 40123, TransportSecurity.SslOnConnect, null, "anna@example.com", "Advice.NotAccepted" },
        { "imap.example.com", TestStage.Connection, FailureKind.AnotherProtocol, MailAdvice.Imap, 995, TransportSecurity.SslOnConnect, MailAdvice.Pop3, "anna@example.com", "Advice.AnotherProtocol" },
        { "imap.example.com", TestStage.Connection, FailureKind.AnotherProtocol, MailAdvice.Imap, 8080, TransportSecurity.SslOnConnect, null, "anna@example.com", "Advice.NotMailServer" },
        { "imap.example.com", TestStage.Tls, FailureKind.TlsHandshake, MailAdvice.Imap, 143, TransportSecurity.SslOnConnect, "wrong version number", "anna@example.com", "Advice.PortSpeaksPlain" },
        { "imap.example.com", TestStage.Tls, FailureKind.TlsHandshake, MailAdvice.Imap, 143, TransportSecurity.StartTls, "wrong version number", "anna@example.com", "Advice.TlsHandshake" },
        { "imap.example.com", TestStage.Tls, FailureKind.NoStartTls, MailAdvice.Imap, 143, TransportSecurity.StartTls, null, "anna@example.com", "Advice.NoStartTls" },
        { "imap.example.com", TestStage.Tls, FailureKind.PlainRefused, MailAdvice.Imap, 143, TransportSecurity.None, "Plaintext refused", "anna@example.com", "Advice.PlainRefused" },
        { "imap.example.com", TestStage.Tls, FailureKind.CertificateExpired, MailAdvice.Imap, 993, TransportSecurity.SslOnConnect, "expired", "anna@example.com", "Advice.CertificateExpired" },
        { "imap.example.com", TestStage.Tls, FailureKind.CertificateWrongName, MailAdvice.Imap, 993, TransportSecurity.SslOnConnect, "name mismatch", "anna@example.com", "Advice.CertificateWrongName" },
        { "imap.example.com", TestStage.Tls, FailureKind.CertificateUntrusted, MailAdvice.Imap, 993, TransportSecurity.SslOnConnect, "untrusted root", "anna@example.com", "Advice.CertificateUntrusted" },
        { "imap.gmail.com", TestStage.Authentication, FailureKind.SignInRefused, MailAdvice.Imap, 993, TransportSecurity.SslOnConnect, "Invalid credentials", "anna@gmail.com", "Advice.AppPassword" },
        { "imap.example.com", TestStage.Authentication, FailureKind.SignInRefused, MailAdvice.Imap, 993, TransportSecurity.SslOnConnect, "Authentication failed.", "anna@example.com", "Advice.CheckPassword" },
        { "smtp.example.com", TestStage.Authentication, FailureKind.NoSignInMechanism, MailAdvice.Smtp, 25, TransportSecurity.None, null, "anna@example.com", "Advice.NoSignInMechanism" },
    };

    private static TestReport Failed(string host, TestStage stage, FailureKind kind, string protocol, int port, TransportSecurity security, string? words, string login)
    {
        var report = new TestReport { Server = new ServerEndpoint(host, port, security), Protocol = protocol, Login = login };
        report.Pass(TestStage.NameResolution, "resolved");
        report.Fail(stage, ReportText.Verbatim(words ?? "no words"), kind, words);
        return report;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void the_connection_test_event_gives_the_reports_advice(
        string host, TestStage stage, FailureKind kind, string protocol, int port, TransportSecurity security, string? words, string login, string advice)
    {
        var report = Failed(host, stage, kind, protocol, port, security, words, login);
        MailAdvice.For(report.Failure!.Facts!)!.Key.ShouldBe(advice, "the case is the report's advice");

        var recorded = AccountTestRecord.Event(Id, AccountTestRecord.Of(Owner, report, null, "", Now)).ShouldBeOfType<ConnectionTested>();

        recorded.FailedStage.ShouldBe(stage.ToString());
        recorded.Detail.ShouldBe(report.Summary);
        var facts = MailAdvice.Facts(recorded.Failure).ShouldNotBeNull();
        facts.ShouldBe(report.Failure.Facts);
        MailAdvice.For(facts).ShouldNotBeNull().Key.ShouldBe(advice);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void the_test_email_event_gives_the_reports_advice(
        string host, TestStage stage, FailureKind kind, string protocol, int port, TransportSecurity security, string? words, string login, string advice)
    {
        var report = Failed(host, stage, kind, protocol, port, security, words, login);

        var recorded = AccountTestRecord.Event(Id, AccountTestRecord.Of(Owner, report, "boris@example.com", "", Now)).ShouldBeOfType<TestEmailSent>();

        MailAdvice.For(MailAdvice.Facts(recorded.Failure).ShouldNotBeNull()).ShouldNotBeNull().Key.ShouldBe(advice);
    }

    [Fact]
    public void a_passed_test_keeps_no_failure() =>
        AccountDecisions.RecordTest(Id, new AccountTest(true, null, "Signed in.", Failure: new TestFailure("Connection", "Silent", "IMAP", "h", 1, TransportSecurity.None, null, null)), Owner, Now)
            .ShouldBe(new ConnectionTested(Id, true, null, "Signed in.", Owner, Now));

    [Fact]
    public void a_failure_keeps_what_the_account_settings_were_and_no_password()
    {
        var report = Failed("imap.example.com", TestStage.Authentication, FailureKind.SignInRefused, MailAdvice.Imap, 993, TransportSecurity.SslOnConnect, "Authentication failed.", "anna@example.com");

        AccountTestRecord.Event(Id, AccountTestRecord.Of(Owner, report, null, "", Now)).ShouldBeOfType<ConnectionTested>().Failure
            .ShouldBe(new TestFailure("Authentication", "SignInRefused", "IMAP", "imap.example.com", 993, TransportSecurity.SslOnConnect, "anna@example.com", "Authentication failed."));
    }

    [Fact]
    public void the_account_health_keeps_the_last_failures_facts_and_a_later_send_failure_none()
    {
        var failure = new TestFailure("Authentication", "SignInRefused", "IMAP", "imap.example.com", 993, TransportSecurity.SslOnConnect, "anna@example.com", "no");
        var created = AccountHealth.Evolve(null, Created[0]);

        var tested = AccountHealth.Evolve(created, new ConnectionTested(Id, false, "Authentication", "Authentication: no", Owner, Now, failure))!;
        tested.LastFailure.ShouldBe(failure);
        tested.LastError.ShouldBe("Authentication: no");

        var notSent = AccountHealth.Evolve(tested, new MailAccounts.Domain.Sending.MailNotSent(Id, Guid.NewGuid(), "<m@x>", 1, 1, true, "550 no", Owner, Now))!;
        notSent.LastFailure.ShouldBeNull();
        notSent.LastError.ShouldBe("550 no");
    }
}
