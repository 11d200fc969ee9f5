using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Users;

namespace MailAccounts.Specs.CommandTier.Accounts;

/// <summary>The streams the account commands start from.</summary>
internal static class Given
{
    public static readonly Guid Administrator = Guid.CreateVersion7();

    public static AccountCreated Created(Guid accountId, Guid ownerId, AccountKind kind = AccountKind.Individual) =>
        new(accountId, ownerId, kind, "Box " + accountId.ToString("N"), "Anna", $"box-{accountId:N}@example.com", ownerId, DateTimeOffset.UtcNow.AddDays(-1));

    public static UserRegistered Registered(Guid userId, UserRole role = UserRole.User) =>
        new(userId, MailAccounts.Specs.Support.Users.UniqueLogin(), "Someone", role, MailAccounts.Domain.Common.Actors.System, DateTimeOffset.UtcNow.AddDays(-1));
}
