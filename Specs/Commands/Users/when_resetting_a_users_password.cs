using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Users;

[Collection(ProductCollection.Name)]
public sealed class when_resetting_a_users_password(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _user = Guid.CreateVersion7();

    [Fact]
    public async Task the_event_says_only_that_it_changed()
    {
        await GivenEvents<User>(_user, Accounts.Given.Registered(_user));

        await When(new ResetUserPassword(Actors.System, _user, new Secret("another-long-password")));

        await ThenEvents(new UserPasswordReset(_user, Actors.System, HandlerTime));
    }

    [Fact]
    public async Task a_short_password_changes_nothing()
    {
        await GivenEvents<User>(_user, Accounts.Given.Registered(_user));

        await When(new ResetUserPassword(Actors.System, _user, new Secret("short")));

        ThenRefusedWith(UserViolations.PasswordTooShort);
        await ThenNoEvents();
    }
}
