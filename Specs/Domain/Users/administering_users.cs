using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;

namespace MailAccounts.Specs.Domain.Users;

public sealed class administering_users
{
    private static readonly Guid Admin = Guid.NewGuid();
    private static readonly Guid UserId = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
    private static readonly User Active = new(UserId, "anna", "Anna", UserRole.User, IsActive: true);

    [Fact]
    public void registering_a_user_records_login_name_and_role_but_never_the_password()
    {
        var decision = UserDecisions.RegisterUser(UserId, new UserDraft("anna", "Anna S.", UserRole.User, "long-enough-password"), [], Admin, Now);

        decision.Events.ShouldBe([new UserRegistered(UserId, "anna", "Anna S.", UserRole.User, Admin, Now)]);
    }

    [Fact]
    public void a_user_without_a_display_name_is_shown_by_login() =>
        UserDecisions.RegisterUser(UserId, new UserDraft("anna", "", UserRole.User, "long-enough-password"), [], Admin, Now)
            .Events.OfType<UserRegistered>().Single().DisplayName.ShouldBe("anna");

    [Fact]
    public void a_login_taken_in_another_case_is_refused() =>
        UserDecisions.RegisterUser(UserId, new UserDraft("Anna", "", UserRole.User, "long-enough-password"), ["anna"], Admin, Now)
            .ShouldBeRefusedWith("Login", UserViolations.LoginTaken);

    [Theory]
    [InlineData("", UserViolations.LoginRequired)]
    [InlineData("anna smirnova", UserViolations.LoginInvalid)]
    [InlineData("анна", UserViolations.LoginInvalid)]
    public void a_login_must_be_plain(string login, string code) =>
        UserDecisions.RegisterUser(UserId, new UserDraft(login, "", UserRole.User, "long-enough-password"), [], Admin, Now)
            .ShouldBeRefusedWith("Login", code);

    [Fact]
    public void a_short_password_is_refused() =>
        UserDecisions.RegisterUser(UserId, new UserDraft("anna", "", UserRole.User, "short"), [], Admin, Now)
            .ShouldBeRefusedWith("Password", UserViolations.PasswordTooShort);

    [Fact]
    public void resetting_a_password_records_who_did_it_and_when()
    {
        UserDecisions.ResetUserPassword(Active, "another-long-password", Admin, Now).Events
            .ShouldBe([new UserPasswordReset(UserId, Admin, Now)]);
        UserDecisions.ResetUserPassword(Active, "short", Admin, Now).ShouldBeRefusedWith("Password", UserViolations.PasswordTooShort);
        UserDecisions.ResetUserPassword(null, "another-long-password", Admin, Now).ShouldBeRefusedWith("User", UserViolations.UnknownUser);
    }

    [Fact]
    public void a_deactivated_user_is_inactive_until_reactivated()
    {
        var deactivated = UserDecisions.SetUserActive(Active, false, Admin, Now);
        deactivated.Events.ShouldBe([new UserDeactivated(UserId, Admin, Now)]);
        var state = deactivated.Events.Aggregate((User?)Active, User.Evolve)!;
        state.IsActive.ShouldBeFalse();

        UserDecisions.SetUserActive(state, false, Admin, Now).Events.ShouldBeEmpty();
        var reactivated = UserDecisions.SetUserActive(state, true, Admin, Now);
        reactivated.Events.Aggregate((User?)state, User.Evolve)!.IsActive.ShouldBeTrue();
        UserDecisions.SetUserActive(Active, true, Admin, Now).Events.ShouldBeEmpty();
    }

    [Fact]
    public void administrators_cannot_deactivate_themselves() =>
        UserDecisions.SetUserActive(Active with { Id = Admin, Role = UserRole.Administrator }, false, Admin, Now)
            .ShouldBeRefusedWith("User", UserViolations.CannotDeactivateSelf);
}
