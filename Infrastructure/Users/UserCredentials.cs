using Microsoft.AspNetCore.Identity;

namespace MailAccounts.Infrastructure.Users;

/// <summary>
/// A user's password hash, kept apart from the event stream: events are kept forever, and a password reset
/// must make the old hash disappear.
/// </summary>
public sealed record UserCredentials(Guid Id, string PasswordHash)
{
    private static readonly PasswordHasher<UserCredentials> Hasher = new();

    // Verifying against this when the login is unknown makes both answers take the same time.
    private static readonly string Decoy = Hasher.HashPassword(null!, Guid.NewGuid().ToString());

    /// <summary>Changes whenever the password does: a sign-in cookie carries it, so a reset ends the sessions made before it.</summary>
    public string Stamp => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PasswordHash)))[..16];

    public static UserCredentials For(Guid userId, string password) => new(userId, Hasher.HashPassword(null!, password));

    public static bool Matches(UserCredentials? credentials, string password)
    {
        var result = Hasher.VerifyHashedPassword(null!, credentials?.PasswordHash ?? Decoy, password);
        return credentials is not null && result != PasswordVerificationResult.Failed;
    }
}
