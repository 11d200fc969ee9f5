using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Accounts;

[Collection(ProductCollection.Name)]
public sealed class when_deleting_an_account(ProductFixture product) : CommandSpec(product)
{
    private readonly Guid _account = Guid.CreateVersion7();
    private readonly Guid _owner = Guid.CreateVersion7();

    [Fact]
    public async Task its_owner_deletes_it()
    {
        await GivenEvents<Account>(_account, Given.Created(_account, _owner));

        await When(new DeleteAccount(new Actor(_owner, false), _account));

        await ThenEvents(new AccountDeleted(_account, _owner, HandlerTime));
    }

    [Fact]
    public async Task a_deactivated_individual_account_stays()
    {
        await GivenEvents<Account>(_account, Given.Created(_account, _owner), new AccountDeactivated(_account, "Left", Given.Administrator, Earlier));

        await When(new DeleteAccount(new Actor(_owner, false), _account));

        ThenRefusedWith(AccountViolations.DeactivatedNotDeletable);
        await ThenNoEvents();
    }

    [Fact]
    public async Task nobody_else_deletes_it()
    {
        await GivenEvents<Account>(_account, Given.Created(_account, _owner));

        await When(new DeleteAccount(new Actor(Guid.CreateVersion7(), true), _account));

        ThenRefusedWith(AccountViolations.Unknown);
        await ThenNoEvents();
    }
}
