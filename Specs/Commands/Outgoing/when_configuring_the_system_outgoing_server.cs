using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.CommandTier.Outgoing;

/// <summary>The system's server is one stream that everyone shares: these specs run beside the others that change it.</summary>
[Collection(SharedSettingsCollection.Name)]
public sealed class when_configuring_the_system_outgoing_server(ProductFixture product) : CommandSpec(product)
{
    private readonly string _host = $"relay-{Guid.NewGuid():N}"[..20] + ".example.com";

    private OutgoingServerFields Relay => new(OutgoingServerKind.Other, _host, 2525, TransportSecurity.StartTls, false, null, null);

    [Fact]
    public async Task an_administrator_sets_the_server_every_account_may_use()
    {
        await Watching(OutgoingServer.SystemDefaultId);

        // No domains typed: the ones allowed stay as they are, for the other specs that send through this server.
        await When(new ConfigureSystemOutgoingServer(Actors.System, Relay));

        await ThenEvents(new OutgoingServerConfigured(
            OutgoingServer.SystemDefaultId, null, OutgoingServerKind.Other, _host, 2525, TransportSecurity.StartTls, false, "", null, Actors.System, HandlerTime));
    }

    [Fact]
    public async Task a_domain_that_is_not_one_saves_neither_part()
    {
        await Watching(OutgoingServer.SystemDefaultId);

        await When(new ConfigureSystemOutgoingServer(Actors.System, Relay, ["not a domain"]));

        ThenRefusedWith(OutgoingViolations.SenderDomainInvalid);
        await ThenNoEvents();
    }

    [Fact]
    public async Task a_user_who_is_not_an_administrator_changes_nothing()
    {
        var user = Guid.CreateVersion7();
        await GivenEvents<User>(user, Accounts.Given.Registered(user));
        await Watching(OutgoingServer.SystemDefaultId);

        await When(new ConfigureSystemOutgoingServer(user, Relay));

        ThenRefusedWith(UserViolations.NotAdministrator);
        await ThenNoEvents();
    }
}
