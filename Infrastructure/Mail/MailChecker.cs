using Marten;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.Storage;

namespace MailAccounts.Infrastructure.Mail;

public sealed record FolderCount(string Folder, int Unread, int Total);

/// <summary>
/// What the last check of an account found: live state, not history, so it is a plain document that each check
/// overwrites. <see cref="Checks"/> counts the checks, for the specs and for diagnostics.
/// </summary>
public sealed record MailboxStatus(
    Guid Id,
    Guid UserId,
    DateTimeOffset CheckedAt,
    bool Succeeded,
    string Detail,
    IReadOnlyList<FolderCount> Folders,
    int Checks)
{
    public int Unread => Folders.Sum(f => f.Unread);
}

/// <summary>Checks a user's accounts: signs in and counts the messages of the monitored folders.</summary>
public sealed class MailChecker(MailConnector connector, SecretVault vault)
{
    public async Task CheckAsync(IDocumentSession session, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = await session.LoadOrReplayAsync<MailAccounts.Domain.Users.User>(userId, cancellationToken);
        if (user is not { IsActive: true })
        {
            return;
        }

        var viewer = new Actor(userId, user.Role == MailAccounts.Domain.Users.UserRole.Administrator);
        foreach (var account in await AccountQueries.ListAsync(session, viewer, AccountUse.Use, cancellationToken))
        {
            if (account.Incoming is not { } incoming)
            {
                continue;
            }

            var previous = await session.LoadAsync<MailboxStatus>(account.Id, cancellationToken);
            var (succeeded, detail, folders) = await CheckAccountAsync(session, account, incoming, cancellationToken);
            session.Store(new MailboxStatus(account.Id, userId, now, succeeded, detail, folders, (previous?.Checks ?? 0) + 1));
        }
    }

    private async Task<(bool, string, IReadOnlyList<FolderCount>)> CheckAccountAsync(
        IQuerySession session, Account account, IncomingSettings incoming, CancellationToken cancellationToken)
    {
        string password;
        try
        {
            password = await vault.RevealAsync(session, incoming.PasswordSecretId, cancellationToken) ?? "";
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            // A key ring that lost the key fails this account's check, not every account's.
            return (false, e.Message, []);
        }

        var report = new TestReport();
        using MailService client = incoming.Protocol == IncomingProtocol.Imap ? new ImapClient() : new Pop3Client();
        try
        {
            var endpoint = new ServerEndpoint(incoming.Host, incoming.Port, incoming.Security);
            var request = new IncomingRequest(incoming.Protocol, endpoint, incoming.Login, password, account.TrustedCertificates);
            if (!await connector.ConnectAsync(client, endpoint, request.Trusted, report, cancellationToken)
                || !await IncomingTester.AuthenticateAsync(client, request.Login, request.Password, report, cancellationToken))
            {
                return (false, report.Summary, []);
            }

            if (client is Pop3Client pop3)
            {
                var count = await pop3.GetMessageCountAsync(cancellationToken);
                return (true, "", [new FolderCount("INBOX", count, count)]);
            }

            var imap = (ImapClient)client;
            var folders = new List<FolderCount>();
            foreach (var name in account.MonitoredFolders)
            {
                var folder = name.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? imap.Inbox : await imap.GetFolderAsync(name, cancellationToken);
                await folder.StatusAsync(StatusItems.Unread | StatusItems.Count, cancellationToken);
                folders.Add(new FolderCount(name, folder.Unread, folder.Count));
            }

            return (true, "", folders);
        }
        catch (Exception e) when (e is IOException or TimeoutException or ProtocolException or CommandException or FolderNotFoundException or OperationCanceledException)
        {
            return (false, e.Message, []);
        }
        finally
        {
            await IncomingTester.DisconnectQuietlyAsync(client);
        }
    }
}
