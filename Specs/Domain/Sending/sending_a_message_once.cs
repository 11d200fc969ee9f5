using MailAccounts.Domain.Sending;

namespace MailAccounts.Specs.Domain.Sending;

public sealed class sending_a_message_once
{
    [Theory]
    [InlineData(MailStage.Queued)]
    [InlineData(MailStage.Sent)]
    public void a_message_on_its_way_or_sent_is_refused_a_second_send(MailStage stage)
    {
        SendingOnce.Refusal(stage)!.Code.ShouldBe(SendingViolations.AlreadySent);
        SendingOnce.MayCompose(stage).ShouldBeFalse();
    }

    [Theory]
    [InlineData(MailStage.New)]
    [InlineData(MailStage.Draft)]
    [InlineData(MailStage.NotSent)]
    public void a_message_not_yet_on_its_way_may_be_sent(MailStage stage)
    {
        SendingOnce.Refusal(stage).ShouldBeNull();
        SendingOnce.MayCompose(stage).ShouldBeTrue();
    }
}
