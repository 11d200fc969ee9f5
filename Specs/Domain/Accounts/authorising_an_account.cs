using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>
/// Signing in with a provider instead of a password (Domain/Accounts/Authorising.cs and the form's Grant in
/// ChangingCredentials.cs): AccountAuthorised, AccountReconnected and AuthorisationLost, each with a token reference only.
/// </summary>
public sealed class authorising_an_account
{
    private static readonly Guid Provider = Guid.NewGuid();
    private static readonly Guid Token = Guid.NewGuid();
    private static readonly OAuthGrant Grant = new(Provider, "anna@example.com", "openid email imap", Token);

    private static object[] Authorised =>
    [
        .. Created,
        new AccountAuthorised(Id, Provider, "anna@example.com", "openid email imap", Token, Owner, Now),
    ];

    private static object[] Lost =>
    [
        .. Authorised,
        new AuthorisationLost(Id, Provider, "invalid_grant: the refresh token was revoked", Actors.System, Now.AddDays(30)),
    ];

    [Fact]
    public void a_new_account_saved_with_a_grant_needs_no_password_and_is_authorised_as_the_mailbox()
    {
        var saved = Given.Account().When(Save(Form with { NewPasswordSecretId = null, Login = "typed-login", Grant = Grant }));

        saved.Decision.IsAccepted.ShouldBeTrue();
        saved.Events.OfType<CredentialsChanged>().ShouldBeEmpty();
        saved.Events.OfType<AccountAuthorised>().Single().ShouldBe(
            new AccountAuthorised(Id, Provider, "anna@example.com", "openid email imap", Token, Owner, Now));
        saved.After!.Incoming!.Login.ShouldBe("anna@example.com");
        saved.After.Incoming.PasswordSecretId.ShouldBe(Guid.Empty);
        saved.After.Authorisation.ShouldBe(new Authorisation(Provider, "anna@example.com", "openid email imap", Token));
        saved.After.NeedsReconnecting.ShouldBeFalse();
    }

    [Fact]
    public void a_password_account_signed_in_with_a_provider_on_the_form_turns_into_an_authorised_one()
    {
        var saved = Given.Account(Created).When(Save(Unchanged with { Grant = Grant }));

        saved.Then(new AccountAuthorised(Id, Provider, "anna@example.com", "openid email imap", Token, Owner, Now));
        saved.After!.Incoming!.PasswordSecretId.ShouldBe(Guid.Empty);
    }

    [Fact]
    public void saving_the_same_grant_again_records_nothing_new()
    {
        Given.Account(Authorised).When(Save(Unchanged with { Login = "anna@example.com", Grant = Grant })).ThenNothing();
        Given.Account(Authorised).When(Save(Unchanged with { Login = "anna@example.com" })).ThenNothing();
    }

    [Fact]
    public void a_typed_password_turns_an_authorised_account_back_into_a_password_account()
    {
        var password = Guid.NewGuid();

        var saved = Given.Account(Authorised).When(Save(Unchanged with { Login = "anna@example.com", NewPasswordSecretId = password }));

        saved.Then(new CredentialsChanged(Id, "anna@example.com", password, Owner, Now));
        saved.After!.Authorisation.ShouldBeNull();
        saved.After.Incoming!.PasswordSecretId.ShouldBe(password);
    }

    [Fact]
    public void a_refused_refresh_is_recorded_once_by_the_system_and_the_account_needs_reconnecting()
    {
        var lost = Given.Account(Authorised).When(current => AccountDecisions.LoseAuthorisation(current, "invalid_grant: revoked", Now.AddDays(30)));

        lost.Then(new AuthorisationLost(Id, Provider, "invalid_grant: revoked", Actors.System, Now.AddDays(30)));
        lost.After!.NeedsReconnecting.ShouldBeTrue();
        lost.After.Authorisation!.LostReason.ShouldBe("invalid_grant: revoked");

        Given.Account(Lost).When(current => AccountDecisions.LoseAuthorisation(current, "invalid_grant: again", Now.AddDays(31))).ThenNothing();
        Given.Account(Created).When(current => AccountDecisions.LoseAuthorisation(current, "invalid_grant", Now)).ThenNothing();
    }

    [Fact]
    public void a_providers_long_reason_is_cut_to_what_an_event_keeps()
    {
        var lost = Given.Account(Authorised).When(current => AccountDecisions.LoseAuthorisation(current, new string('r', 2_000), Now)).Decision;

        lost.Events.OfType<AuthorisationLost>().Single().Reason.Length.ShouldBe(AccountDecisions.MaxReasonLengthOfProvider);
    }

    [Fact]
    public void reconnecting_as_the_same_mailbox_restores_the_account_with_the_new_token()
    {
        var renewed = Guid.NewGuid();
        var grant = Grant with { Mailbox = "ANNA@example.com", TokenSecretId = renewed };

        var reconnected = Given.Account(Lost).When(current => AccountDecisions.Reconnect(current, grant, Owner, Now.AddDays(31)));

        reconnected.Then(new AccountReconnected(Id, Provider, "anna@example.com", "openid email imap", renewed, Owner, Now.AddDays(31)));
        reconnected.After!.NeedsReconnecting.ShouldBeFalse();
        reconnected.After.Authorisation!.TokenSecretId.ShouldBe(renewed);
    }

    [Fact]
    public void reconnecting_as_another_mailbox_or_with_another_provider_is_refused()
    {
        Given.Account(Lost).When(current => AccountDecisions.Reconnect(current, Grant with { Mailbox = "boss@example.com" }, Owner, Now))
            .ThenRefused("", AccountViolations.ReconnectedAsAnother);
        Given.Account(Lost).When(current => AccountDecisions.Reconnect(current, Grant with { ProviderId = Guid.NewGuid() }, Owner, Now))
            .ThenRefused("", AccountViolations.ReconnectedAsAnother);
    }

    [Fact]
    public void a_password_account_or_an_unknown_one_cannot_be_reconnected()
    {
        Given.Account(Created).When(current => AccountDecisions.Reconnect(current, Grant, Owner, Now)).ThenRefused("", AccountViolations.NotAuthorised);
        Given.Account().When(current => AccountDecisions.Reconnect(current, Grant, Owner, Now)).ThenRefused("", AccountViolations.Unknown);
    }

    [Fact]
    public void the_settings_name_the_provider_and_the_mailbox_and_hold_the_token_only_as_a_reference()
    {
        var settings = Account.Settings(Given.Account(Lost).State);

        settings.ShouldContain(s => s.Key == Account.SignInProviderSetting && s.Value == Provider.ToString());
        settings.ShouldContain(s => s.Key == Account.SignedInMailboxSetting && s.Value == "anna@example.com");
        settings.ShouldContain(s => s.Key == Account.TokenSetting && s.Value == Token.ToString());
        settings.ShouldContain(s => s.Key == Account.NeedsReconnectingSetting);
    }
}
