using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Users;

public sealed record UserDraft(string? Login, string? DisplayName, UserRole Role, string? Password);

public static class UserDecisions
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 200;
    public const int MaxLoginLength = 64;
    public const int MaxDisplayNameLength = 100;

    public static Decision RegisterUser(Guid userId, UserDraft draft, IEnumerable<string> existingLogins, Guid by, DateTimeOffset at)
    {
        var login = (draft.Login ?? "").Trim();
        var displayName = (draft.DisplayName ?? "").Trim();

        var violations = new List<Violation>();
        if (login.Length == 0)
        {
            violations.Add(new(nameof(draft.Login), UserViolations.LoginRequired));
        }
        else if (login.Length > MaxLoginLength || !login.All(IsLoginCharacter))
        {
            violations.Add(new(nameof(draft.Login), UserViolations.LoginInvalid));
        }
        else if (existingLogins.Any(l => User.LoginKeyOf(l) == User.LoginKeyOf(login)))
        {
            violations.Add(new(nameof(draft.Login), UserViolations.LoginTaken));
        }

        if (displayName.Length > MaxDisplayNameLength)
        {
            violations.Add(new(nameof(draft.DisplayName), UserViolations.DisplayNameTooLong));
        }

        violations.AddRange(CheckPassword(draft.Password));

        return Decision.AcceptUnless(violations, () =>
            [new UserRegistered(userId, login, displayName.Length == 0 ? login : displayName, draft.Role, by, at)]);
    }

    public static Decision ResetUserPassword(User? user, string? newPassword, Guid by, DateTimeOffset at)
    {
        if (user is null)
        {
            return Decision.Reject([new(nameof(User), UserViolations.UnknownUser)]);
        }

        var violations = CheckPassword(newPassword).ToList();
        return Decision.AcceptUnless(violations, () => [new UserPasswordReset(user.Id, by, at)]);
    }

    /// <summary>An administrator deactivates a user (who can then no longer sign in) or lets them back in.</summary>
    public static Decision SetUserActive(User? user, bool active, Guid by, DateTimeOffset at) => user switch
    {
        null => Decision.Reject([new(nameof(User), UserViolations.UnknownUser)]),
        _ when active => user.IsActive ? Decision.Accept() : Decision.Accept(new UserReactivated(user.Id, by, at)),
        // Nobody locks themselves out: another administrator has to do it.
        _ when user.Id == by => Decision.Reject([new(nameof(User), UserViolations.CannotDeactivateSelf)]),
        { IsActive: false } => Decision.Accept(),
        _ => Decision.Accept(new UserDeactivated(user.Id, by, at)),
    };

    public static IEnumerable<Violation> CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            yield return new(nameof(UserDraft.Password), UserViolations.PasswordTooShort);
        }
        else if (password.Length > MaxPasswordLength)
        {
            yield return new(nameof(UserDraft.Password), UserViolations.PasswordTooLong);
        }
    }

    private static bool IsLoginCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@';
}

public static class UserViolations
{
    public const string LoginRequired = "User.LoginRequired";
    public const string LoginInvalid = "User.LoginInvalid";
    public const string LoginTaken = "User.LoginTaken";
    public const string DisplayNameTooLong = "User.DisplayNameTooLong";
    public const string PasswordTooShort = "User.PasswordTooShort";
    public const string PasswordTooLong = "User.PasswordTooLong";
    public const string UnknownUser = "User.Unknown";
    public const string CannotDeactivateSelf = "User.CannotDeactivateSelf";
    public const string NotAdministrator = "User.NotAdministrator";
}
