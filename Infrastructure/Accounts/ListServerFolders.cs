using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Secrets;
using Marten;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// Choose (folders) on the account form: signs in as <see cref="TestIncomingSettings"/> does and lists the server's
/// folders. Listing is not a test of the account: nothing is recorded.
/// </summary>
public sealed record ListServerFolders(Actor Actor, Guid? AccountId, AccountForm Form, Secret? Password, IReadOnlyList<TrustedCertificate> Trust);

public static class ListServerFoldersHandler
{
    public static async Task<AccountTestOutcome> Handle(
        ListServerFolders command, IQuerySession session, SecretVault vault, SignInProviders.AccountTokens tokens, IncomingTester tester, MailTestLimiter limiter,
        CancellationToken cancellationToken)
    {
        var (saved, report, refusal) = await TestIncomingSettingsHandler.RunAsync(
            new TestIncomingSettings(command.Actor, command.AccountId, command.Form, command.Password, command.Trust), session, vault, tokens, tester, limiter, cancellationToken);
        return refusal ?? new AccountTestOutcome(saved?.Account.Id ?? Guid.Empty, [], report);
    }
}
