using MailAccounts.Domain.Sending;
using MailAccounts.Domain.Settings;

namespace MailAccounts.Specs.Domain.Sending;

/// <summary>Undo after Send (Domain/Sending/UndoingSend.cs) and the undo time of General settings.</summary>
public sealed class undoing_a_send
{
    private static readonly Guid Account = Guid.NewGuid();
    private static readonly Guid Mail = Guid.NewGuid();
    private static readonly Guid User = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 42, 0, TimeSpan.Zero);

    [Fact]
    public void undone_while_it_waits_before_delivery_it_becomes_a_draft_again()
    {
        UndoingSend.UndoSend(Account, Mail, "<m1@example.com>", SendingStage.Waiting, User, Now).Events
            .ShouldBe([new MailSendingUndone(Account, Mail, "<m1@example.com>", User, Now)]);
    }

    [Theory]
    [InlineData(SendingStage.Sent, UndoViolations.UndoTooLateSent)]
    [InlineData(SendingStage.Attempted, UndoViolations.UndoTooLateSending)]
    [InlineData(SendingStage.NotOnItsWay, UndoViolations.UndoNothingToUndo)]
    public void undone_once_the_server_may_have_it_it_is_refused_with_the_reason(SendingStage stage, string reason)
    {
        var decision = UndoingSend.UndoSend(Account, Mail, "<m1@example.com>", stage, User, Now);

        decision.Events.ShouldBeEmpty();
        decision.Violations.Select(v => v.Code).ShouldBe([reason]);
    }

    [Fact]
    public void the_undo_time_is_the_users_choice_else_the_systems_and_choosing_it_again_appends_nothing()
    {
        MailSettings.Defaults(User).UndoSendSecondsOr(5).ShouldBe(5);
        var chosen = ChoosingUndoSendDelay.ChooseUndoSendDelay(User, null, 10, User, Now).Events;
        chosen.ShouldBe([new UndoSendDelayChanged(User, 10, User, Now)]);

        var settings = chosen.Aggregate((MailSettings?)null, MailSettings.Evolve)!;
        settings.UndoSendSecondsOr(5).ShouldBe(10);
        ChoosingUndoSendDelay.ChooseUndoSendDelay(User, settings, 10, User, Now).Events.ShouldBeEmpty();
        ChoosingUndoSendDelay.ChooseUndoSendDelay(User, settings, 0, User, Now).Events.ShouldBe([new UndoSendDelayChanged(User, 0, User, Now)]);
    }

    [Fact]
    public void an_undo_time_not_offered_is_refused()
    {
        ChoosingUndoSendDelay.ChooseUndoSendDelay(User, null, 3600, User, Now).Violations.Select(v => v.Code)
            .ShouldBe([ChoosingUndoSendDelay.DelayInvalid]);
    }
}
