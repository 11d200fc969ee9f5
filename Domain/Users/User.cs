namespace MailAccounts.Domain.Users;

public sealed record User(Guid Id, string Login, string DisplayName, UserRole Role, bool IsActive)
{
    /// <summary>Logins are compared without regard to case: "Admin" and "admin" are one person.</summary>
    public string LoginKey => LoginKeyOf(Login);

    public static string LoginKeyOf(string login) => login.Trim().ToLowerInvariant();

    /// <summary>The events <see cref="Evolve"/> reads; a new password lives in the user's credentials, not here.</summary>
    public static IReadOnlyList<Type> ChangedBy { get; } = [typeof(UserRegistered), typeof(UserDeactivated), typeof(UserReactivated)];

    public static User? Evolve(User? state, object @event) => @event switch
    {
        UserRegistered e => new User(e.UserId, e.Login, e.DisplayName, e.Role, IsActive: true),
        UserDeactivated when state is not null => state with { IsActive = false },
        UserReactivated when state is not null => state with { IsActive = true },
        _ => state,
    };
}
