using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Accounts;

[Collection(ProductCollection.Name)]
public sealed class when_revoking_access(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _account = Guid.CreateVersion7();
    private readonly Guid _user = Guid.CreateVersion7();

    private Task GivenAGrantedGroupAccount() => GivenEvents<Account>(_account,
        Given.Created(_account, Given.Administrator, AccountKind.Group), new AccessGranted(_account, _user, Given.Administrator, Earlier));

    [Fact]
    public async Task an_administrator_takes_a_group_account_away_from_a_user()
    {
        await GivenAGrantedGroupAccount();

        await When(new RevokeAccess(new Actor(Given.Administrator, true), _account, _user));

        await ThenEvents(new AccessRevoked(_account, _user, Given.Administrator, HandlerTime));
    }

    [Fact]
    public async Task the_user_cannot_revoke_it_themselves()
    {
        await GivenAGrantedGroupAccount();

        await When(new RevokeAccess(new Actor(_user, false), _account, _user));

        ThenRefusedWith(AccountViolations.Unknown);
        await ThenNoEvents();
    }
}
