using System.Security.Cryptography;
using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wolverine;

namespace MailAccounts.Infrastructure.Users;

/// <summary>
/// The first start creates the administrator <c>admin</c>, with the password from MAILACCOUNTS_ADMIN_PASSWORD or
/// a generated one that is printed once to the console (never to a log).
/// </summary>
public sealed class AdministratorSeeding(IServiceProvider services, IConfiguration configuration) : AfterStartup
{
    public const string Login = "admin";
    public const string PasswordVariable = "MAILACCOUNTS_ADMIN_PASSWORD";

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var session = scope.ServiceProvider.GetRequiredService<IQuerySession>();
        var key = User.LoginKeyOf(Login);
        if (await session.Query<User>().AnyAsync(u => u.LoginKey == key, cancellationToken))
        {
            return;
        }

        var configured = configuration[PasswordVariable];
        var password = string.IsNullOrEmpty(configured) ? Generate() : configured;
        var commands = scope.ServiceProvider.GetRequiredService<Commands>();
        var outcome = await commands.InvokeAsync(
            new RegisterUser(Actors.System, Login, "Administrator", UserRole.Administrator, new Secret(password)), cancellationToken);
        if (outcome.Violations.Any(v => v.Code == UserViolations.LoginTaken))
        {
            // Another node of the same database was quicker.
            return;
        }

        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException(
                $"The administrator could not be created ({string.Join(", ", outcome.Violations.Select(v => v.Code))}). "
                + $"{PasswordVariable} must be {UserDecisions.MinPasswordLength} to {UserDecisions.MaxPasswordLength} characters long.");
        }

        if (string.IsNullOrEmpty(configured))
        {
            Console.WriteLine($"MailAccounts: created the administrator '{Login}' with the password {password} (shown once; set {PasswordVariable} to choose it).");
        }
    }

    private static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');
}
