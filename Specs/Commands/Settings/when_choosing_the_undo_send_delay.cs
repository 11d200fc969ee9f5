using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Settings;

[Collection(ProductCollection.Name)]
public sealed class when_choosing_the_undo_send_delay(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _user = Guid.CreateVersion7();

    [Fact]
    public async Task the_choice_is_an_event_on_the_users_settings()
    {
        await Watching(MailSettings.StreamFor(_user));

        await When(new ChooseUndoSendDelay(_user, 20));

        await ThenEvents(new UndoSendDelayChanged(_user, 20, _user, HandlerTime));
    }

    [Fact]
    public async Task a_time_not_offered_saves_nothing()
    {
        await Watching(MailSettings.StreamFor(_user));

        await When(new ChooseUndoSendDelay(_user, 7));

        ThenRefusedWith(ChoosingUndoSendDelay.DelayInvalid);
        await ThenNoEvents();
    }
}
