using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Specs.CommandTier.Accounts;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Settings;

[Collection(ProductCollection.Name)]
public sealed class when_choosing_visible_folders(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _user = Guid.CreateVersion7();
    private readonly Guid _account = Guid.CreateVersion7();

    [Fact]
    public async Task the_folders_chosen_are_the_ones_the_client_shows()
    {
        await GivenEvents<Account>(_account, Given.Created(_account, _user));
        await Watching(MailSettings.StreamFor(_user));

        await When(new ChooseVisibleFolders(new Actor(_user, false), _account, ["INBOX", "Sent"], ["INBOX", "Sent", "Trash"]));

        await ThenEvents(new VisibleFoldersChosen(_user, _account, ["INBOX", "Sent"], _user, HandlerTime));
    }

    [Fact]
    public async Task a_folder_the_server_does_not_have_is_refused()
    {
        await GivenEvents<Account>(_account, Given.Created(_account, _user));
        await Watching(MailSettings.StreamFor(_user));

        await When(new ChooseVisibleFolders(new Actor(_user, false), _account, ["INBOX", "Invented"], ["INBOX", "Sent"]));

        ThenRefusedWith(SettingsViolations.FolderUnknown);
        await ThenNoEvents();
    }

    [Fact]
    public async Task another_users_account_is_not_found()
    {
        var stranger = Guid.CreateVersion7();
        await GivenEvents<Account>(_account, Given.Created(_account, _user));
        await Watching(MailSettings.StreamFor(stranger));

        await When(new ChooseVisibleFolders(new Actor(stranger, false), _account, ["INBOX"], ["INBOX"]));

        ThenRefusedWith(AccountViolations.Unknown);
        await ThenNoEvents();
    }
}
