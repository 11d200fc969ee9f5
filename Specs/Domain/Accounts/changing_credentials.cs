using MailAccounts.Domain.Accounts;
using static MailAccounts.Specs.Domain.Accounts.SalesAccount;

namespace MailAccounts.Specs.Domain.Accounts;

/// <summary>SaveAccount's credentials part (Domain/Accounts/ChangingCredentials.cs): CredentialsChanged, the password as a reference.</summary>
public sealed class changing_credentials
{
    public static TheoryData<string, AccountForm> OtherServers => new()
    {
        { "host", Form with { Host = "imap.attacker.example" } },
        { "port", Form with { Port = 10993 } },
        { "protocol", Form with { Protocol = IncomingProtocol.Pop3, Port = 993 } },
        { "security", Form with { Security = TransportSecurity.StartTls, Port = 993 } },
        { "login", Form with { Login = "someone-else@example.com" } },
    };

    [Theory]
    [MemberData(nameof(OtherServers))]
    public void when_an_edit_names_another_server_without_the_password_typed_again_it_is_refused(string change, AccountForm other)
    {
        Given.Account(Created).When(Save(other with { NewPasswordSecretId = null })).ThenRefused("Password", AccountViolations.PasswordRequiredForServer);

        var retyped = Guid.NewGuid();
        var accepted = Given.Account(Created).When(Save(other with { NewPasswordSecretId = retyped })).Decision;
        accepted.IsAccepted.ShouldBeTrue(change);
        accepted.Events.OfType<CredentialsChanged>().Single().PasswordSecretId.ShouldBe(retyped);
    }

    [Fact]
    public void a_new_password_is_a_new_secret_reference_and_never_text()
    {
        var replaced = Guid.NewGuid();

        Given.Account(Created).When(Save(Form with { NewPasswordSecretId = replaced }))
            .Then(new CredentialsChanged(Id, "anna@example.com", replaced, Owner, Now));
    }

    [Fact]
    public void a_new_login_needs_the_password_typed_again_and_is_recorded_with_it()
    {
        var renamed = Given.Account(Created).When(Save(Unchanged with { Login = "anna" })).Decision;

        // The login is part of what the password was saved for: a new one needs the password again.
        renamed.ShouldBeRefusedWith("Password", AccountViolations.PasswordRequiredForServer);
        Given.Account(Created).When(Save(Form with { Login = " anna " }))
            .Then(new CredentialsChanged(Id, "anna", Secret, Owner, Now));
    }

    [Fact]
    public void a_new_account_needs_a_password_and_a_login()
    {
        Given.Account().When(Save(Unchanged)).ThenRefused("Password", AccountViolations.PasswordRequired);
        Given.Account().When(Save(Form with { Login = " " })).ThenRefused("Login", AccountViolations.LoginRequired);
    }

    [Fact]
    public void a_login_of_255_characters_is_refused() =>
        Given.Account().When(Save(Form with { Login = new string('l', 255) })).ThenRefused("Login", AccountViolations.LoginTooLong);
}
