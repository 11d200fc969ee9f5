using MailAccounts.Domain.Sending;

namespace MailAccounts.Specs.Domain.Sending;

/// <summary>The outcome events of handing a message to the outgoing server (Domain/Sending/Delivery.cs): MailSent and MailNotSent.</summary>
public sealed class recording_a_delivery
{
    private static readonly Guid Account = Guid.NewGuid();
    private static readonly Guid Mail = Guid.NewGuid();
    private static readonly Guid Sender = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_message_the_server_accepted_is_sent_with_its_recipients_attempts_and_copy() =>
        Delivery.Sent(Account, Mail, "<m1@example.com>", 3, 2, copiedToSent: true, "250 OK", Sender, Now)
            .ShouldBe(new MailSent(Account, Mail, "<m1@example.com>", 3, 2, true, "250 OK", Sender, Now));

    [Fact]
    public void a_message_refused_for_good_is_not_sent_and_says_why() =>
        Delivery.NotSent(Account, Mail, "<m1@example.com>", 1, 1, permanent: true, "550 No such user", Sender, Now)
            .ShouldBe(new MailNotSent(Account, Mail, "<m1@example.com>", 1, 1, true, "550 No such user", Sender, Now));

    [Fact]
    public void the_events_say_whether_the_message_went()
    {
        Delivery.Sent(Account, Mail, "<m1@example.com>", 1, 1, false, "", Sender, Now).Succeeded.ShouldBeTrue();
        Delivery.NotSent(Account, Mail, "<m1@example.com>", 1, 4, false, "timed out", Sender, Now).Succeeded.ShouldBeFalse();
    }
}
