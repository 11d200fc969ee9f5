using Marten;
using MailAccounts.Domain.Users;

namespace MailAccounts.Infrastructure.Users;

public static class SignIn
{
    /// <summary>
    /// The active user with this login and password, and the stamp of the credentials, or null; an unknown login
    /// costs as much time as a wrong password.
    /// </summary>
    public static async Task<(User User, string Stamp)?> CheckAsync(IQuerySession session, string? login, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(login) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var key = User.LoginKeyOf(login);
        var user = await session.Query<User>().SingleOrDefaultAsync(u => u.LoginKey == key, cancellationToken);
        var credentials = user is null ? null : await session.LoadAsync<UserCredentials>(user.Id, cancellationToken);
        return UserCredentials.Matches(credentials, password) && user is { IsActive: true } ? (user, credentials!.Stamp) : null;
    }
}
