using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailKit.Security;
using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>An incoming server as the form or the saved account describes it, with the password in hand.</summary>
public sealed record IncomingRequest(
    IncomingProtocol Protocol,
    ServerEndpoint Endpoint,
    string Login,
    string Password,
    IReadOnlyCollection<TrustedCertificate> Trusted)
{
    // A record prints every member; the password must never reach a log or an exception message that way.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Endpoint = {Endpoint}, Protocol = {Protocol}, Login = {Login}, Password = ***, Trusted = {Trusted.Count}");
        return true;
    }
}

/// <summary>Tests incoming settings stage by stage and, for IMAP, lists the server's folders.</summary>
public sealed class IncomingTester(MailConnector connector)
{
    public async Task<TestReport> TestAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        var report = new TestReport();
        using MailService client = request.Protocol == IncomingProtocol.Imap ? new ImapClient() : new Pop3Client();
        try
        {
            if (!await connector.ConnectAsync(client, request.Endpoint, request.Trusted, report, cancellationToken)
                || !await AuthenticateAsync(client, request.Login, request.Password, report, cancellationToken))
            {
                return report;
            }

            if (client is ImapClient imap)
            {
                report.Folders = await ListFoldersAsync(imap, cancellationToken);
                report.Pass(TestStage.Folders, ReportText.Of("Folders.Count", report.Folders.Count));
            }
            else
            {
                var count = await ((Pop3Client)client).GetMessageCountAsync(cancellationToken);
                report.Pass(TestStage.Folders, ReportText.Of("Folders.Inbox", count));
            }
        }
        catch (Exception e) when (e is IOException or TimeoutException or ProtocolException or CommandException or OperationCanceledException)
        {
            report.Fail(report.Stages.Any(s => s.Stage == TestStage.Authentication) ? TestStage.Folders : TestStage.Authentication, e.Message);
        }
        finally
        {
            await DisconnectQuietlyAsync(client);
        }

        return report;
    }

    internal static async Task<bool> AuthenticateAsync(IMailService client, string login, string password, TestReport report, CancellationToken cancellationToken)
    {
        try
        {
            await client.AuthenticateAsync(login, password, cancellationToken);
            report.Pass(TestStage.Authentication, ReportText.Of("Auth.SignedIn", login));
            return true;
        }
        catch (AuthenticationException e)
        {
            report.Fail(TestStage.Authentication, ReportText.Of("Auth.Refused", login, e.Message));
            return false;
        }
        catch (NotSupportedException)
        {
            report.Fail(TestStage.Authentication, ReportText.Of("Auth.NoMechanism"));
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or TimeoutException or ProtocolException or CommandException
                                      or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // A server that stalls or hangs up during LOGIN: a failed stage, which a sender may retry, not an escape.
            report.Fail(TestStage.Authentication, e.Message);
            report.Temporary = true;
            return false;
        }
    }

    /// <summary>Every folder of the personal namespaces, the inbox first, with what the server says each is for.</summary>
    public static async Task<IReadOnlyList<ServerFolder>> ListFoldersAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var folders = new List<IMailFolder>();
        foreach (var ns in client.PersonalNamespaces)
        {
            folders.AddRange(await client.GetFoldersAsync(ns, subscribedOnly: false, cancellationToken));
        }

        if (!folders.Any(f => f.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase)))
        {
            folders.Insert(0, client.Inbox);
        }

        return folders
            .Where(f => !f.Attributes.HasFlag(FolderAttributes.NonExistent))
            .Select(f => new ServerFolder(
                f.FullName,
                f.Name,
                f.DirectorySeparator == '\0' ? 0 : f.FullName.Count(c => c == f.DirectorySeparator),
                !f.Attributes.HasFlag(FolderAttributes.NoSelect),
                SpecialUse(f.Attributes)))
            .OrderBy(f => f.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(f => f.FullName, StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    private static string? SpecialUse(FolderAttributes attributes) =>
        new[] { FolderAttributes.Sent, FolderAttributes.Trash, FolderAttributes.Drafts, FolderAttributes.Junk, FolderAttributes.Archive, FolderAttributes.All, FolderAttributes.Flagged }
            .Where(a => attributes.HasFlag(a))
            .Select(a => a.ToString())
            .FirstOrDefault();

    public static async Task DisconnectQuietlyAsync(IMailService client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(true, limit.Token);
        }
        catch (Exception e) when (e is IOException or TimeoutException or ProtocolException or CommandException or OperationCanceledException)
        {
            // The test already has its answer; a server that hangs up rudely changes nothing.
        }
    }
}
