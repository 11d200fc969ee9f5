using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Mail;

namespace MailAccounts.Specs.Integration.Mail;

/// <summary>A request to a mail server carries the password in hand; printing it (a log line, an exception) must not.</summary>
public sealed class when_a_mail_request_is_printed
{
    private const string Password = "printed-password-2f9c";
    private static readonly ServerEndpoint Endpoint = new("mail.example.com", 993, TransportSecurity.SslOnConnect);

    [Fact]
    public void an_incoming_request_prints_everything_but_the_password()
    {
        var printed = new IncomingRequest(IncomingProtocol.Imap, Endpoint, "anna", Password, []).ToString();

        printed.ShouldNotContain(Password);
        printed.ShouldContain("mail.example.com");
        printed.ShouldContain("anna");
    }

    [Fact]
    public void an_smtp_request_prints_everything_but_the_password()
    {
        var printed = new SmtpRequest(Endpoint, true, "anna", Password, []).ToString();

        printed.ShouldNotContain(Password);
        printed.ShouldContain("mail.example.com");
        printed.ShouldContain("anna");
    }
}
