namespace MailAccounts.Specs.Support;

public sealed record TestUser(string Login, string Password, UserSession Session) : IDisposable
{
    public void Dispose() => Session.Dispose();
}

public static class Users
{
    public static string UniqueLogin(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}"[..20];

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
