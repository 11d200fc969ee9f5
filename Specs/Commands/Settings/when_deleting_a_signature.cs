using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Settings;

[Collection(ProductCollection.Name)]
public sealed class when_deleting_a_signature(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _user = Guid.CreateVersion7();
    private readonly Guid _signature = Guid.CreateVersion7();

    [Fact]
    public async Task the_users_signature_is_deleted()
    {
        await GivenEvents<MailSettings>(MailSettings.StreamFor(_user), new SignatureCreated(_user, _signature, "Work", "<p>Anna</p>", _user, Earlier));

        await When(new DeleteSignature(_user, _signature));

        await ThenEvents(new SignatureDeleted(_user, _signature, _user, HandlerTime));
    }

    [Fact]
    public async Task another_users_signature_stays()
    {
        var stranger = Guid.CreateVersion7();
        await GivenEvents<MailSettings>(MailSettings.StreamFor(_user), new SignatureCreated(_user, _signature, "Work", "<p>Anna</p>", _user, Earlier));
        await Watching(MailSettings.StreamFor(stranger));

        await When(new DeleteSignature(stranger, _signature));

        ThenRefusedWith(SettingsViolations.SignatureUnknown);
        await ThenNoEvents();
    }
}
