using MailAccounts.Domain.Bounces;

namespace MailAccounts.Specs.Domain.Bounces;

/// <summary>
/// The classification table (Domain/Bounces/BounceReasons.cs): sisimai's reasons and its hard rule, the server's words
/// before its codes, and the sender's side kept apart from the recipient's.
/// </summary>
public sealed class classifying_a_refusal
{
    [Theory]
    [InlineData("5.1.1", 550, "5.1.1 <anna@example.com>: Recipient address rejected: User unknown in local recipient table", "userunknown")]
    [InlineData("5.1.2", 550, "Host or domain name not found. Name service error for name=example.invalid", "hostunknown")]
    [InlineData("5.1.6", 550, "recipient no longer on server", "hasmoved")]
    [InlineData("5.3.2", 556, "Domain example.com does not accept mail (nullMX)", "notaccept")]
    public void an_address_that_is_gone_is_hard(string status, int code, string words, string reason) =>
        BounceReasons.Classify(status, code, words).ShouldBe((reason, BounceClass.Hard));

    [Theory]
    [InlineData("5.2.2", 552, "Mailbox full", "mailboxfull")]
    [InlineData("4.2.2", 452, "over quota", "mailboxfull")]
    [InlineData("4.4.7", null, "Delivery time expired", "expired")]
    [InlineData("5.3.1", 452, "Insufficient system storage", "systemfull")]
    [InlineData("5.2.1", 550, "The email account that you tried to reach is disabled.", "suspend")]
    public void the_recipients_side_for_now_is_soft_even_with_a_5xx(string status, int? code, string words, string reason) =>
        BounceReasons.Classify(status, code, words).ShouldBe((reason, BounceClass.Soft));

    [Theory]
    [InlineData("5.7.1", 554, "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org", "blocked")]
    [InlineData("5.7.1", 550, "Your IP address is listed in a DNSBL", "blocked")]
    [InlineData("5.7.26", 550, "This message does not pass authentication checks (SPF and DKIM both do not pass)", "authfailure")]
    [InlineData("5.7.25", 550, "The IP address sending this message does not have a PTR record setup", "requireptr")]
    [InlineData("5.7.1", 554, "Relay access denied", "norelaying")]
    [InlineData("5.3.4", 552, "Message size exceeds fixed maximum message size", "mesgtoobig")]
    [InlineData("5.7.1", 550, "Message rejected due to local policy", "policyviolation")]
    [InlineData("4.7.0", 421, "Our system has detected an unusual rate of unsolicited mail; rate limit exceeded", "spamdetected")]
    [InlineData("5.7.0", 554, "Virus found in message", "virusdetected")]
    public void a_refusal_of_the_sender_or_the_message_is_sender_side(string status, int code, string words, string reason) =>
        BounceReasons.Classify(status, code, words).ShouldBe((reason, BounceClass.SenderSide));

    [Fact]
    public void googles_5_2_1_disabled_is_a_suspended_account_while_yandexs_5_2_1_no_such_user_is_unknown()
    {
        BounceReasons.Classify("5.2.1", 550, "The email account that you tried to reach is disabled. https://support.google.com/mail/?p=DisabledUser")
            .ShouldBe(("suspend", BounceClass.Soft));
        BounceReasons.Classify("5.2.1", 550, "5.2.1 <anna@yandex.ru>: No such user!").ShouldBe(("userunknown", BounceClass.Hard));
    }

    [Theory]
    [InlineData("5.1.10", "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup")]
    [InlineData("5.4.1", "Recipient address rejected: Access denied. AS(201806281) [AM0EUR02FT012.eop-EUR02.prod.protection.outlook.com]")]
    public void office_365s_recipient_rejected_is_an_unknown_user_not_a_block(string status, string words) =>
        BounceReasons.Classify(status, 550, words).ShouldBe(("userunknown", BounceClass.Hard));

    [Theory]
    [InlineData("5.7.1", 554)]
    [InlineData("5.7.1", 550)]
    [InlineData(null, 550)]
    public void postfixs_check_recipient_access_refuses_the_address_itself(string? status, int code) =>
        BounceReasons.Classify(status, code, $"{code} {status} <gone@example.com>: Recipient address rejected: Access denied")
            .ShouldBe(("userunknown", BounceClass.Hard));

    [Fact]
    public void a_refused_sender_address_is_not_the_recipients_fault() =>
        BounceReasons.Classify("5.7.1", 554, "<crm@example.com>: Sender address rejected: Access denied").Class.ShouldBe(BounceClass.SenderSide);

    [Theory]
    [InlineData("4.1.1", 450, "4.1.1 <anna@example.com>: Recipient address rejected: User unknown in local recipient table")]
    [InlineData(null, 450, "Recipient address rejected: unverified address: host mx.example.com said: 550 no such user")]
    public void a_temporary_refusal_is_never_hard_even_for_an_unknown_user(string? status, int code, string words) =>
        BounceReasons.Classify(status, code, words).ShouldBe(("userunknown", BounceClass.Soft));

    [Fact]
    public void words_beat_a_bare_code_in_either_direction()
    {
        BounceReasons.Classify("5.7.1", 550, "5.7.1 No such user c18si2365148hub").ShouldBe(("userunknown", BounceClass.Hard));
        BounceReasons.Classify("5.1.1", 550, "5.1.1 Mailbox full").ShouldBe(("mailboxfull", BounceClass.Soft));
    }

    [Fact]
    public void without_words_the_status_decides_and_without_a_status_the_reply_code()
    {
        BounceReasons.Classify("5.1.1", null, "").ShouldBe(("userunknown", BounceClass.Hard));
        BounceReasons.Classify("5.7.1", 550, "").ShouldBe(("rejected", BounceClass.SenderSide));
        BounceReasons.Classify(null, 550, "Requested action not taken").ShouldBe(("userunknown", BounceClass.Hard));
        BounceReasons.Classify(null, 552, "").ShouldBe(("mailboxfull", BounceClass.Soft));
    }

    [Fact]
    public void a_failure_that_says_nothing_known_is_counted_not_marked_at_once() =>
        BounceReasons.Classify("5.0.0", 554, "Transaction failed").ShouldBe(("undefined", BounceClass.Soft));

    [Fact]
    public void not_accepting_mail_is_hard_only_when_permanent()
    {
        BounceReasons.ClassOf("notaccept", 550).ShouldBe(BounceClass.Hard);
        BounceReasons.ClassOf("notaccept", 450).ShouldBe(BounceClass.Soft);
        BounceReasons.ClassOf("notaccept", null, "4.0.0").ShouldBe(BounceClass.Soft);
    }

    [Fact]
    public void the_status_and_the_reply_code_are_read_from_the_words_when_not_given() =>
        BounceReasons.Classify(null, null, "host mx.example.com said: 550 5.1.1 <bob@example.com>... User unknown")
            .ShouldBe(("userunknown", BounceClass.Hard));

    [Fact]
    public void every_reason_belongs_to_exactly_one_class()
    {
        BounceReasons.HardReasons.Intersect(BounceReasons.RecipientSoftReasons).ShouldBeEmpty();
        BounceReasons.HardReasons.Intersect(BounceReasons.SenderSideReasons).ShouldBeEmpty();
        BounceReasons.RecipientSoftReasons.Intersect(BounceReasons.SenderSideReasons).ShouldBeEmpty();
    }
}
