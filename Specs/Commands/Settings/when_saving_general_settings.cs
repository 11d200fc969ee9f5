using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Settings;

[Collection(ProductCollection.Name)]
public sealed class when_saving_general_settings(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _user = Guid.CreateVersion7();

    [Fact]
    public async Task each_changed_setting_is_one_event()
    {
        await Watching(MailSettings.StreamFor(_user));

        await When(new SaveGeneralSettings(_user, new GeneralSettingsForm(0, true, "KOI8-R", null, false, 100)));

        await ThenEvents(
            new PlainTextDefaultChanged(_user, true, _user, HandlerTime),
            new EncodingChanged(_user, "koi8-r", _user, HandlerTime),
            new PageSizeChanged(_user, 100, _user, HandlerTime));
    }

    [Fact]
    public async Task an_unknown_charset_saves_nothing()
    {
        await Watching(MailSettings.StreamFor(_user));

        await When(new SaveGeneralSettings(_user, new GeneralSettingsForm(0, true, "klingon", null, false, 100)));

        ThenRefusedWith(SettingsViolations.CharsetUnknown);
        await ThenNoEvents();
    }
}
