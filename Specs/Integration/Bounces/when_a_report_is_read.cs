using System.Text;
using MailAccounts.Domain.Bounces;
using MailAccounts.Infrastructure.Bounces;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.Bounces;

/// <summary>
/// The detector on reports written here to show one rule each: what links a report to the mail the system sent (the
/// returned Message-ID, also from a transfer-encoded copy or headers only, and the ENVID), a DSN that carries
/// Auto-Submitted, mixed and delayed recipients, and input that is no message at all. Files only: no server.
/// </summary>
public sealed class when_a_report_is_read
{
    private static BounceReport Read(string raw) => BounceDetector.Read(new MemoryStream(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n"))));

    private static string Dsn(string groups, string returned, string extraHeaders = "") => $"""
        From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
        To: sender@example.com
        Subject: Undelivered Mail Returned to Sender
        Message-ID: <report-1@mx.example.net>
        {extraHeaders}MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        This is the mail system at host mx.example.net.

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.net
        Original-Envelope-Id: 0f3c2a9e6b1d4c7f
        Arrival-Date: Tue, 1 Dec 2026 10:00:00 +0000

        {groups}
        --b1
        {returned}
        --b1--

        """;

    private const string Failed = """
        Final-Recipient: rfc822; alias-target@example.net
        Original-Recipient: rfc822; anna@example.net
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 <anna@example.net>: Recipient address rejected: User unknown in virtual mailbox table

        """;

    private const string Delayed = """
        Final-Recipient: rfc822; bob@example.org
        Action: delayed
        Status: 4.4.1
        Diagnostic-Code: smtp; 421 4.4.1 connection timed out

        """;

    private static readonly string Returned = """
        From: sender@example.com
        To: anna@example.net
        Subject: Hello
        Message-ID: <sent-42@crm.example.com>

        Hello.
        """;

    [Fact]
    public void a_transfer_encoded_returned_message_is_decoded_for_its_message_id_and_the_envid_is_kept()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(Returned.ReplaceLineEndings("\r\n")), Base64FormattingOptions.InsertLineBreaks);

        var report = Read(Dsn(Failed, $"Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n"));

        report.IsBounce.ShouldBeTrue();
        report.OriginalMessageId.ShouldBe("sent-42@crm.example.com");
        report.EnvelopeId.ShouldBe("0f3c2a9e6b1d4c7f");
        report.Recipients.ShouldHaveSingleItem().ShouldBe(new BouncedRecipient("anna@example.net", BounceClass.Hard, "userunknown", "5.1.1", 550,
            "550 5.1.1 <anna@example.net>: Recipient address rejected: User unknown in virtual mailbox table"));
    }

    [Fact]
    public void headers_only_returned_still_name_the_message_that_failed() =>
        Read(Dsn(Failed, "Content-Type: text/rfc822-headers\r\n\r\n" + Returned.Split("\n\n")[0] + "\r\n")).OriginalMessageId.ShouldBe("sent-42@crm.example.com");

    [Fact]
    public void a_dsn_that_says_auto_submitted_is_still_a_bounce() =>
        Read(Dsn(Failed, "Content-Type: message/rfc822\r\n\r\n" + Returned, "Auto-Submitted: auto-replied\n")).IsBounce.ShouldBeTrue();

    [Fact]
    public void of_a_failed_and_a_delayed_recipient_only_the_failed_one_bounced()
    {
        var report = Read(Dsn(Failed + Delayed, "Content-Type: message/rfc822\r\n\r\n" + Returned));

        report.Kind.ShouldBe(ReportKind.Bounce);
        report.Recipients.Select(r => r.Address).ShouldBe(["anna@example.net"]);
    }

    [Fact]
    public void only_delayed_recipients_make_a_warning_not_a_bounce()
    {
        var report = Read(Dsn(Delayed, "Content-Type: message/rfc822\r\n\r\n" + Returned));

        report.Kind.ShouldBe(ReportKind.Delayed);
        report.IsBounce.ShouldBeFalse();
        report.Recipients.ShouldHaveSingleItem().Reason.ShouldBe("expired");
    }

    [Fact]
    public void aol_screen_names_are_addresses_at_the_reporting_domain()
    {
        using var file = File.OpenRead(Path.Combine(SharedCorpus.Folder("bounces"), "mailman2-aol_01.txt"));

        BounceDetector.Read(file).Recipients.Select(r => r.Address.ToLowerInvariant()).ShouldBe(["screenname@aol.com"]);
    }

    [Fact]
    public void input_that_is_no_message_is_not_a_bounce_and_no_error()
    {
        Read("").IsBounce.ShouldBeFalse();
        BounceDetector.Read(new MemoryStream([0, 1, 2, 255, 254])).IsBounce.ShouldBeFalse();
    }
}
