using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Users;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Users;

[Collection(ProductCollection.Name)]
public sealed class when_registering_a_user(ProductFixture product) : CommandSpec(product)
{
    private readonly string _login = Support.Users.UniqueLogin();

    [Fact]
    public async Task an_administrator_starts_the_users_stream()
    {
        await When(new RegisterUser(Actors.System, _login, " Anna S. ", UserRole.User, new Secret("long-enough-password")));

        await ThenEvents(new UserRegistered(Outcome.Id, _login, "Anna S.", UserRole.User, Actors.System, HandlerTime));
    }

    [Fact]
    public async Task a_short_password_registers_nobody()
    {
        await When(new RegisterUser(Actors.System, _login, "", UserRole.User, new Secret("short")));

        ThenRefusedWith(UserViolations.PasswordTooShort);
        await ThenNoEvents();
    }

    [Fact]
    public async Task someone_who_is_not_an_administrator_registers_nobody()
    {
        var user = Guid.CreateVersion7();
        await GivenEvents<User>(user, Accounts.Given.Registered(user));

        await When(new RegisterUser(user, _login, "", UserRole.Administrator, new Secret("long-enough-password")));

        ThenRefusedWith(UserViolations.NotAdministrator);
        await ThenNoEvents();
    }
}
