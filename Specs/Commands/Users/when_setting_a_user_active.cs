using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Users;

[Collection(ProductCollection.Name)]
public sealed class when_setting_a_user_active(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _user = Guid.CreateVersion7();

    [Fact]
    public async Task an_administrator_lets_a_deactivated_user_back_in()
    {
        await GivenEvents<User>(_user, Accounts.Given.Registered(_user), new UserDeactivated(_user, Actors.System, Earlier));

        await When(new SetUserActive(Actors.System, _user, true));

        await ThenEvents(new UserReactivated(_user, Actors.System, HandlerTime));
    }

    [Fact]
    public async Task an_administrator_deactivates_a_user()
    {
        await GivenEvents<User>(_user, Accounts.Given.Registered(_user));

        await When(new SetUserActive(Actors.System, _user, false));

        await ThenEvents(new UserDeactivated(_user, Actors.System, HandlerTime));
    }

    [Fact]
    public async Task an_administrator_cannot_lock_themselves_out()
    {
        await GivenEvents<User>(_user, Accounts.Given.Registered(_user, UserRole.Administrator));

        await When(new SetUserActive(_user, _user, false));

        ThenRefusedWith(UserViolations.CannotDeactivateSelf);
        await ThenNoEvents();
    }

    [Fact]
    public async Task a_user_who_is_not_an_administrator_deactivates_nobody()
    {
        var other = Guid.CreateVersion7();
        await GivenEvents<User>(_user, Accounts.Given.Registered(_user));
        await GivenEvents<User>(other, Accounts.Given.Registered(other));

        await When(new SetUserActive(other, _user, false));

        ThenRefusedWith(UserViolations.NotAdministrator);
        await ThenNoEvents();
    }
}
