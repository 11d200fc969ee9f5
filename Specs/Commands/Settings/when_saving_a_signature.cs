using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Settings;

[Collection(ProductCollection.Name)]
public sealed class when_saving_a_signature(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _user = Guid.CreateVersion7();

    [Fact]
    public async Task a_new_signature_is_created_in_the_users_settings()
    {
        await Watching(MailSettings.StreamFor(_user));

        await When(new SaveSignature(_user, null, " Work ", "<p>Anna</p>"));

        await ThenEvents(new SignatureCreated(_user, Outcome.Id, "Work", "<p>Anna</p>", _user, HandlerTime));
    }

    [Fact]
    public async Task a_template_that_does_not_parse_is_refused_with_the_checkers_words()
    {
        await Watching(MailSettings.StreamFor(_user));

        await When(new SaveSignature(_user, null, "Broken", "{{ if }}"));

        ThenRefusedWith(SettingsViolations.SignatureTemplateInvalid);
        Outcome.Violations.ShouldHaveSingleItem().Detail.ShouldNotBeNullOrEmpty();
        await ThenNoEvents();
    }

    [Fact]
    public async Task another_users_signature_is_not_found()
    {
        var other = Guid.CreateVersion7();
        var theirs = Guid.CreateVersion7();
        await GivenEvents<MailSettings>(MailSettings.StreamFor(other), new SignatureCreated(other, theirs, "Theirs", "<p>x</p>", other, Earlier));
        await Watching(MailSettings.StreamFor(_user));

        await When(new SaveSignature(_user, theirs, "Mine now", "<p>y</p>"));

        ThenRefusedWith(SettingsViolations.SignatureUnknown);
        await ThenNoEvents();
    }
}
