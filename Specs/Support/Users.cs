using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace MailAccounts.Specs.Support;

public sealed record TestUser(string Login, string Password, UserSession Session) : IDisposable
{
    public void Dispose() => Session.Dispose();
}

public static class Users
{
    public static string UniqueLogin(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}"[..20];

    public static async Task<Guid> UserIdAsync(this ProductFixture product, string login)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var key = User.LoginKeyOf(login);
        return (await session.Query<User>().SingleAsync(u => u.LoginKey == key)).Id;
    }

    public static async Task<IReadOnlyList<Account>> AccountsOfAsync(this ProductFixture product, Guid ownerId)
    {
        await using var session = product.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await AccountQueries.ListAsync(session, new Actor(ownerId, false), AccountUse.Configure, CancellationToken.None);
    }

    public static async Task<UserSession> AdministratorAsync(this ProductFixture product)
    {
        var session = product.NewSession();
        await session.SignInAsync("admin", ProductFixture.AdministratorPassword);
        return session;
    }

    /// <summary>An administrator adds the user through the Users page; the user then signs in in a session of their own.</summary>
    public static async Task<TestUser> NewUserAsync(this ProductFixture product, string role = "User")
    {
        var login = UniqueLogin();
        var password = "pw-" + Guid.NewGuid().ToString("N");
        using (var admin = await product.AdministratorAsync())
        {
            var added = await admin.SubmitAsync("/Admin/Users/Add", new()
            {
                ["Input.Login"] = login, ["Input.DisplayName"] = "Test " + login, ["Input.Role"] = role, ["Input.Password"] = password,
            });
            if (added.Status != System.Net.HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Adding {login} failed: {added.Html}");
            }
        }

        var session = product.NewSession();
        await session.SignInAsync(login, password);
        return new TestUser(login, password, session);
    }
}
