using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Accounts;

[Collection(ProductCollection.Name)]
public sealed class when_granting_access(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _account = Guid.CreateVersion7();
    private readonly Guid _user = Guid.CreateVersion7();

    [Fact]
    public async Task an_administrator_lets_a_user_use_a_group_account()
    {
        await GivenEvents<User>(_user, Given.Registered(_user));
        await GivenEvents<Account>(_account, Given.Created(_account, Given.Administrator, AccountKind.Group));

        await When(new GrantAccess(new Actor(Given.Administrator, true), _account, _user));

        await ThenEvents(new AccessGranted(_account, _user, Given.Administrator, HandlerTime));
    }

    [Fact]
    public async Task an_individual_account_is_not_shared()
    {
        var owner = Guid.CreateVersion7();
        await GivenEvents<User>(_user, Given.Registered(_user));
        await GivenEvents<Account>(_account, Given.Created(_account, owner));

        await When(new GrantAccess(new Actor(Given.Administrator, true), _account, _user));

        ThenRefusedWith(AccountViolations.NotGroup);
        await ThenNoEvents();
    }

    [Fact]
    public async Task a_user_who_is_not_an_administrator_grants_nothing()
    {
        await GivenEvents<User>(_user, Given.Registered(_user));
        await GivenEvents<Account>(_account, Given.Created(_account, Given.Administrator, AccountKind.Group));

        await When(new GrantAccess(new Actor(_user, false), _account, _user));

        ThenRefusedWith(AccountViolations.Unknown);
        await ThenNoEvents();
    }
}
