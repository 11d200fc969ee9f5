using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Specs.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.CommandTier.Accounts;

/// <summary>ReconnectAccount: the account that lost its authorisation signs in again, and its old token set is forgotten.</summary>
[Collection(ProductCollection.Name)]
public sealed class when_reconnecting_an_account(ProductFixture fixture) : CommandSpec(fixture)
{
    private readonly SecretVault _vault = fixture.Services.GetRequiredService<SecretVault>();

    private readonly Guid _account = Guid.CreateVersion7();
    private readonly Guid _owner = Guid.CreateVersion7();
    private readonly Guid _provider = Guid.CreateVersion7();
    private readonly Guid _oldTokens = Guid.CreateVersion7();
    private string Mailbox => $"box-{_account:N}@example.com";

    private async Task GivenAnAccountThatLostItsAuthorisation()
    {
        await StoreTokens(_oldTokens, _owner);
        await GivenEvents<Account>(_account,
            Given.Created(_account, _owner),
            new AccountAuthorised(_account, _provider, Mailbox, "openid email", _oldTokens, _owner, Earlier),
            new AuthorisationLost(_account, _provider, "invalid_grant", Actors.System, Earlier));
    }

    private async Task StoreTokens(Guid id, Guid owner)
    {
        await using var session = Store.LightweightSession();
        _vault.Store(session, id, owner, "{\"AccessToken\":\"not-a-real-token\"}");
        await session.SaveChangesAsync();
    }

    private async Task<bool> Stored(Guid id)
    {
        await using var session = Store.QuerySession();
        return await session.LoadAsync<ProtectedSecret>(id) is not null;
    }

    [Fact]
    public async Task its_owner_signs_in_as_the_same_mailbox_and_the_old_tokens_are_forgotten()
    {
        await GivenAnAccountThatLostItsAuthorisation();
        var renewed = Guid.CreateVersion7();
        await StoreTokens(renewed, _owner);

        await When(new ReconnectAccount(new Actor(_owner, false), _account, new OAuthGrant(_provider, Mailbox.ToUpperInvariant(), "openid email", renewed)));

        await ThenEvents(new AccountReconnected(_account, _provider, Mailbox, "openid email", renewed, _owner, HandlerTime));
        (await Stored(_oldTokens)).ShouldBeFalse();
        (await Stored(renewed)).ShouldBeTrue();
    }

    [Fact]
    public async Task another_mailbox_is_refused_and_its_tokens_are_not_kept()
    {
        await GivenAnAccountThatLostItsAuthorisation();
        var other = Guid.CreateVersion7();
        await StoreTokens(other, _owner);

        await When(new ReconnectAccount(new Actor(_owner, false), _account, new OAuthGrant(_provider, "boss@example.com", "openid email", other)));

        ThenRefusedWith(AccountViolations.ReconnectedAsAnother);
        await ThenNoEvents();
        (await Stored(_oldTokens)).ShouldBeTrue();
        (await Stored(other)).ShouldBeFalse();
    }

    [Fact]
    public async Task another_user_cannot_reconnect_it_even_with_their_own_sign_in()
    {
        await GivenAnAccountThatLostItsAuthorisation();
        var stranger = Guid.CreateVersion7();
        var theirs = Guid.CreateVersion7();
        await StoreTokens(theirs, stranger);

        await When(new ReconnectAccount(new Actor(stranger, false), _account, new OAuthGrant(_provider, Mailbox, "openid email", theirs)));

        ThenRefusedWith(AccountViolations.Unknown);
        await ThenNoEvents();
        (await Stored(_oldTokens)).ShouldBeTrue();
    }

    [Fact]
    public async Task its_owner_cannot_put_someone_elses_token_set_on_it()
    {
        await GivenAnAccountThatLostItsAuthorisation();
        var theirs = Guid.CreateVersion7();
        await StoreTokens(theirs, Guid.CreateVersion7());

        await When(new ReconnectAccount(new Actor(_owner, false), _account, new OAuthGrant(_provider, Mailbox, "openid email", theirs)));

        ThenRefusedWith(AccountViolations.Unknown);
        await ThenNoEvents();
        (await Stored(theirs)).ShouldBeTrue();
    }
}
