using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Accounts;

[Collection(ProductCollection.Name)]
public sealed class when_deactivating_an_account(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _account = Guid.CreateVersion7();
    private readonly Guid _owner = Guid.CreateVersion7();

    [Fact]
    public async Task an_administrator_stops_it_being_used_and_says_why()
    {
        await GivenEvents<Account>(_account, Given.Created(_account, _owner));

        await When(new DeactivateAccount(new Actor(Given.Administrator, true), _account, " Left the company "));

        await ThenEvents(new AccountDeactivated(_account, "Left the company", Given.Administrator, HandlerTime));
    }

    [Fact]
    public async Task a_reason_is_required()
    {
        await GivenEvents<Account>(_account, Given.Created(_account, _owner));

        await When(new DeactivateAccount(new Actor(Given.Administrator, true), _account, "  "));

        ThenRefusedWith(AccountViolations.ReasonRequired);
        await ThenNoEvents();
    }

    [Fact]
    public async Task its_owner_cannot_deactivate_it()
    {
        await GivenEvents<Account>(_account, Given.Created(_account, _owner));

        await When(new DeactivateAccount(new Actor(_owner, false), _account, "Holiday"));

        ThenRefusedWith(AccountViolations.Unknown);
        await ThenNoEvents();
    }
}
