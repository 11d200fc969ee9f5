using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Accounts;

[Collection(ProductCollection.Name)]
public sealed class when_reactivating_an_account(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _account = Guid.CreateVersion7();
    private readonly Guid _owner = Guid.CreateVersion7();

    private Task GivenADeactivatedAccount() => GivenEvents<Account>(_account,
        Given.Created(_account, _owner), new AccountDeactivated(_account, "Left", Given.Administrator, Earlier));

    [Fact]
    public async Task an_administrator_lets_it_be_used_again()
    {
        await GivenADeactivatedAccount();

        await When(new ReactivateAccount(new Actor(Given.Administrator, true), _account));

        await ThenEvents(new AccountReactivated(_account, Given.Administrator, HandlerTime));
    }

    [Fact]
    public async Task its_owner_cannot_reactivate_it()
    {
        await GivenADeactivatedAccount();

        await When(new ReactivateAccount(new Actor(_owner, false), _account));

        ThenRefusedWith(AccountViolations.Unknown);
        await ThenNoEvents();
    }
}
