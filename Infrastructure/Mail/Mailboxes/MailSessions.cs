using Marten;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Pop3;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Outgoing;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.SignInProviders;
using MailAccounts.Infrastructure.Storage;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>
/// What a piece of work on the server gave, or why it could not be done: the failed stage and the server's words, and
/// the <paramref name="Failure"/>'s facts when signing in failed, for advice in the reader's language.
/// </summary>
public sealed record MailWork<T>(T? Value, TestStage? FailedStage, string? Problem, MailFailure? Failure = null)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// A signed-in mailbox, or the report of why signing in failed. Disposing it leaves the connection in the pool for
/// the next request of the account when the work on it was <see cref="Completed"/>, or signs out.
/// </summary>
public sealed class MailSession : IAsyncDisposable
{
    private readonly MailService? _client;
    private readonly MailConnectionPool? _pool;
    private readonly MailConnectionKey? _key;
    private bool _completed;

    internal MailSession(TestReport report, string? problem = null) => (Report, _problem) = (report, problem);

    internal MailSession(MailService client, IMailbox mailbox, TestReport report, MailConnectionPool? pool, MailConnectionKey? key, bool kept = false) =>
        (_client, Mailbox, Report, _pool, _key, Kept) = (client, mailbox, report, pool, key, kept);

    /// <summary>The connection was taken from the pool: it has been idle, and may have died unnoticed since.</summary>
    internal bool Kept { get; }

    private readonly string? _problem;

    /// <summary>Null when signing in failed: <see cref="Report"/> says at which stage and why.</summary>
    public IMailbox? Mailbox { get; }

    /// <summary>The stages of signing in; empty for a connection taken from the pool.</summary>
    public TestReport Report { get; }

    public TestStage? FailedStage => Report.Failure?.Stage;

    /// <summary>Why there is no mailbox, in the server's or the vault's words.</summary>
    public string? Problem => Mailbox is not null ? null : _problem ?? Report.Failure?.Detail;

    /// <summary>The facts of the failed stage, when signing in failed at one.</summary>
    public MailFailure? Failure => Mailbox is not null ? null : Report.Failure?.Facts;

    /// <summary>The work succeeded: the connection may serve the next request.</summary>
    public void Completed() => _completed = true;

    public async ValueTask DisposeAsync()
    {
        if (_client is null)
        {
            return;
        }

        if (!_completed || _pool is null || _key is null || _client is not ImapClient imap || !_pool.Return(_key, imap))
        {
            await MailSignIn.DisconnectQuietlyAsync(_client);
            _client.Dispose();
        }
    }
}

/// <summary>
/// The one way to open a signed-in session on an account's incoming server: an IMAP connection that a previous
/// request of the same account left in the <see cref="MailConnectionPool"/>, or a new one, signed in with the stored
/// password, which is revealed here and nowhere outside Infrastructure. Each request has its connection to itself
/// (a MailKit client runs one command at a time).
/// </summary>
/// <remarks>
/// An account that signs in with a provider (<see cref="Account.Authorisation"/>) signs in with SASL XOAUTH2 and the
/// access token <see cref="AccountTokens"/> gives, renewed before it expires. A token the server refuses is renewed once
/// at once and tried again (revoked early, or the server's clock runs ahead); an account that needs reconnecting is not
/// connected at all.
/// </remarks>
public sealed class MailSessions(MailConnector connector, SecretVault vault, MailConnectionPool pool, MailOptions options, AccountTokens? tokens = null)
{
    /// <summary>
    /// How received mail is parsed: header text written in 8 bits without encoded words is read as UTF-8 where it is
    /// valid UTF-8, otherwise in the fallback charset, just as bodies are (MimeKit would otherwise read it as Latin-1).
    /// </summary>
    public ParserOptions Parsing { get; } = ParsingFor(options.FallbackCharset);

    public static ParserOptions ParsingFor(string fallbackCharset)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        return new ParserOptions { CharsetEncoding = System.Text.Encoding.GetEncoding(fallbackCharset) };
    }

    /// <summary>What the message list already fetched, per account and folder (see <see cref="ListingCache"/>); one for the whole host.</summary>
    public ListingCache Listings { get; init; } = new();

    /// <summary>The protocol logger each new connection gets. None by default; the listing benchmark counts commands with it.</summary>
    public Func<IProtocolLogger> ProtocolLoggers { get; init; } = () => new NullProtocolLogger();

    /// <summary>A signed-in session on the account's saved incoming server, with the password from the vault.</summary>
    public Task<MailSession> OpenAsync(IQuerySession session, Account account, CancellationToken cancellationToken) =>
        OpenAsync(account, SecretOf(session, account), cancellationToken);

    /// <summary>The account's stored password (or access token), for work that opens its sessions itself (live search across folders).</summary>
    internal Task<string?> RevealAsync(IQuerySession session, Account account, CancellationToken cancellationToken) =>
        SecretOf(session, account)(cancellationToken);

    /// <summary>
    /// Where the account's secret comes from: its password in the vault, or, for an account that signs in with a
    /// provider, its access token (renewed first when it is due). No token to be had is a <see cref="SignInUnavailable"/>.
    /// </summary>
    private Func<CancellationToken, Task<string?>> SecretOf(IQuerySession session, Account account) => account.Authorisation is null
        ? token => vault.RevealAsync(session, account.Incoming!.PasswordSecretId, token)
        : async token => await TokenAsync(account, refused: null, token);

    private async Task<string> TokenAsync(Account account, string? refused, CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            throw new SignInUnavailable("This host signs in with passwords only.");
        }

        var answer = await tokens.ForAsync(account, cancellationToken, refused);
        return answer.Token ?? throw new SignInUnavailable(answer.Problem ?? "No access token.", answer.NeedsReconnecting);
    }

    /// <summary>Why an account that signs in with a provider has no token to sign in with: it needs reconnecting, or the provider cannot be reached.</summary>
    internal sealed class SignInUnavailable(string problem, bool needsReconnecting = false) : Exception(problem)
    {
        public bool NeedsReconnecting { get; } = needsReconnecting;
    }

    /// <summary>
    /// The session of an account whose provider no longer accepts its sign-in: failed at signing in, with facts that
    /// give every reader the advice to reconnect in their own language.
    /// </summary>
    private static MailSession NeedsReconnecting(Account account, string problem)
    {
        var report = new TestReport { Login = account.Authorisation?.Mailbox, Protocol = account.Incoming?.Protocol == IncomingProtocol.Pop3 ? MailAdvice.Pop3 : MailAdvice.Imap };
        report.Fail(TestStage.Authentication, ReportText.Verbatim(problem), FailureKind.NeedsReconnecting, account.Authorisation?.LostReason);
        return new MailSession(report);
    }

    /// <summary>
    /// A token for the account after a server refused <paramref name="refused"/> (SMTP's 535, say): renewed once; none
    /// when the provider refused the renewal too (the account needs reconnecting now) or cannot be reached.
    /// </summary>
    public async Task<AccessToken> RenewAsync(Account account, string refused, CancellationToken cancellationToken) => tokens is null
        ? new AccessToken(null, "This host signs in with passwords only.")
        : await tokens.ForAsync(account, cancellationToken, refused);

    /// <summary>The problem an account that needs reconnecting gives every piece of work, before any connection is opened.</summary>
    public static string NeedsReconnectingProblem(Account account) =>
        $"The provider no longer accepts this account's sign-in ({account.Authorisation?.LostReason}): reconnect the account.";

    private static string Fingerprint(string token) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)))[..16];

    /// <summary>The same, with the password from elsewhere than the vault: the listing benchmark runs without a database.</summary>
    public Task<MailSession> OpenAsync(Account account, Func<CancellationToken, Task<string?>> password, CancellationToken cancellationToken) =>
        OpenAsync(account, password, fresh: false, cancellationToken);

    /// <param name="fresh">A new connection even when the pool keeps one.</param>
    private async Task<MailSession> OpenAsync(Account account, Func<CancellationToken, Task<string?>> password, bool fresh, CancellationToken cancellationToken)
    {
        if (account.Incoming is not { } incoming)
        {
            var none = new TestReport();
            none.Fail(TestStage.Connection, ReportText.Of("Connection.NoIncomingServer"));
            return new MailSession(none);
        }

        if (account.NeedsReconnecting)
        {
            return NeedsReconnecting(account, NeedsReconnectingProblem(account));
        }

        var oauth = account.Authorisation is not null;
        string secret;
        try
        {
            secret = await password(cancellationToken) ?? "";
        }
        catch (SignInUnavailable e) when (e.NeedsReconnecting)
        {
            return NeedsReconnecting(account, e.Message);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or SignInUnavailable)
        {
            // A key ring that lost the key, or a token that cannot be had, fails this account, not every account.
            return new MailSession(new TestReport(), e.Message);
        }

        var opened = await OpenAsync(account, incoming, secret, oauth, fresh, cancellationToken);
        if (!oauth || opened.Mailbox is not null || opened.FailedStage != TestStage.Authentication || tokens is null)
        {
            return opened;
        }

        // The server refused the token: renewed once, at once, and tried again.
        await opened.DisposeAsync();
        try
        {
            secret = await TokenAsync(account, refused: secret, cancellationToken);
        }
        catch (SignInUnavailable e)
        {
            return e.NeedsReconnecting ? NeedsReconnecting(account, e.Message) : new MailSession(new TestReport(), e.Message);
        }

        return await OpenAsync(account, incoming, secret, oauth, fresh: true, cancellationToken);
    }

    private async Task<MailSession> OpenAsync(Account account, IncomingSettings incoming, string secret, bool isToken, bool fresh, CancellationToken cancellationToken)
    {
        var listed = incoming.Protocol == IncomingProtocol.Imap
            ? MailConnectionKey.For(account, incoming) with { Credential = isToken ? Fingerprint(secret) : "" }
            : null;
        var key = pool.Keeps ? listed : null;
        if (key is not null && !fresh && pool.Take(key) is { } kept)
        {
            return new MailSession(kept, new ImapMailbox(kept, Parsing, Listings, key), new TestReport(), pool, key, kept: true);
        }

        var request = new IncomingRequest(incoming.Protocol, new ServerEndpoint(incoming.Host, incoming.Port, incoming.Security), incoming.Login,
            secret, account.TrustedCertificates) { PasswordIsToken = isToken };
        return await OpenAsync(request, new TestReport(), key, listed, cancellationToken);
    }

    /// <summary>
    /// A session on settings that may not be saved (the connection test), recording each stage in <paramref name="report"/>.
    /// Never pooled.
    /// </summary>
    public Task<MailSession> OpenAsync(IncomingRequest request, TestReport report, CancellationToken cancellationToken) =>
        OpenAsync(request, report, null, null, cancellationToken);

    /// <param name="listed">The account's key in <see cref="Listings"/>; none for settings that may not be saved.</param>
    private async Task<MailSession> OpenAsync(
        IncomingRequest request, TestReport report, MailConnectionKey? key, MailConnectionKey? listed, CancellationToken cancellationToken)
    {
        MailService client = request.Protocol == IncomingProtocol.Imap ? new ImapClient(ProtocolLoggers()) : new Pop3Client(ProtocolLoggers());
        try
        {
            if (await connector.ConnectAsync(client, request.Endpoint, request.Trusted, report, cancellationToken)
                && await MailSignIn.AuthenticateAsync(client, request.Login, request.Password, report, cancellationToken, request.PasswordIsToken))
            {
                if (client is ImapClient imap)
                {
                    await ImapMailbox.PrepareAsync(imap, cancellationToken);
                }

                IMailbox mailbox = client is ImapClient signedIn ? new ImapMailbox(signedIn, Parsing, listed is null ? null : Listings, listed) : new Pop3Mailbox((Pop3Client)client, Parsing);
                return new MailSession(client, mailbox, report, key is null ? null : pool, key);
            }
        }
        catch
        {
            // The caller cancelled: nothing is recorded, and the half-open connection goes.
            client.Dispose();
            throw;
        }

        await MailSignIn.DisconnectQuietlyAsync(client);
        client.Dispose();
        return new MailSession(report);
    }

    /// <summary>
    /// Signs in (or takes a signed-in connection from the pool), does the work, and leaves the connection for the next
    /// request, or signs out. A server that refuses or fails becomes a problem to show, never an error page: the rest of
    /// the client keeps working. A connection whose work failed is never reused. The caller's cancellation is rethrown.
    /// </summary>
    public Task<MailWork<T>> UseAsync<T>(IQuerySession session, Account account, Func<IMailbox, Task<T>> work, CancellationToken cancellationToken) =>
        UseAsync(account, SecretOf(session, account), work, cancellationToken);

    /// <summary>The same, with the password from elsewhere than the vault.</summary>
    public Task<MailWork<T>> UseAsync<T>(
        Account account, Func<CancellationToken, Task<string?>> password, Func<IMailbox, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(account, password, work, reads: false, cancellationToken);

    /// <summary>
    /// The same for work that changes nothing on the server (a list, a message, counts, a search). A kept connection
    /// that fails under it (a firewall or the server forgot it while it was idle, which the pool cannot see without a
    /// round trip) is closed, and the work is done once more on a new connection, so the page shows the mail rather
    /// than a problem the user did not cause. Work that changes something is never done twice this way.
    /// </summary>
    public Task<MailWork<T>> ReadAsync<T>(IQuerySession session, Account account, Func<IMailbox, Task<T>> work, CancellationToken cancellationToken) =>
        ReadAsync(account, SecretOf(session, account), work, cancellationToken);

    /// <summary>The same, with the password from elsewhere than the vault.</summary>
    public Task<MailWork<T>> ReadAsync<T>(
        Account account, Func<CancellationToken, Task<string?>> password, Func<IMailbox, Task<T>> work, CancellationToken cancellationToken) =>
        RunAsync(account, password, work, reads: true, cancellationToken);

    private async Task<MailWork<T>> RunAsync<T>(
        Account account, Func<CancellationToken, Task<string?>> password, Func<IMailbox, Task<T>> work, bool reads, CancellationToken cancellationToken)
    {
        var attempt = await AttemptAsync(account, password, work, fresh: false, cancellationToken);
        return attempt.KeptConnectionLost && reads ? (await AttemptAsync(account, password, work, fresh: true, cancellationToken)).Work : attempt.Work;
    }

    private async Task<(MailWork<T> Work, bool KeptConnectionLost)> AttemptAsync<T>(
        Account account, Func<CancellationToken, Task<string?>> password, Func<IMailbox, Task<T>> work, bool fresh, CancellationToken cancellationToken)
    {
        await using var opened = await OpenAsync(account, password, fresh, cancellationToken);
        if (opened.Mailbox is not { } mailbox)
        {
            return (new MailWork<T>(default, opened.FailedStage, opened.Problem, opened.Failure), false);
        }

        try
        {
            var value = await work(mailbox);
            opened.Completed();
            return (new MailWork<T>(value, null, null), false);
        }
        catch (Exception e) when (MailFailures.IsExpected(e, cancellationToken))
        {
            // A server that stalls (a read timed out), hangs up or answers nonsense: the page or the handler gets the
            // problem to show or retry, never an exception.
            return (new MailWork<T>(default, null, e.Message), opened.Kept && MailFailures.IsConnectionLost(e));
        }
    }

    /// <summary>The SMTP server an account sends through (its own, or the system's default), with its password revealed; null when there is none.</summary>
    public async Task<SmtpRequest?> SmtpRequestAsync(IQuerySession session, Account account, CancellationToken cancellationToken)
    {
        var server = await session.LoadOrReplayAsync<OutgoingServer>(account.Outgoing?.ServerId ?? OutgoingServer.SystemDefaultId, cancellationToken);
        if (server is null || (server.OwnerId is { } owner && owner != account.OwnerId))
        {
            return null;
        }

        // A server that signs in as the account's own mailbox with no password of its own (what the account form makes for
        // an account signed in with a provider) takes the account's access token.
        if (account.Authorisation is { } authorisation && server.UseAuthentication && server.PasswordSecretId is null
            && string.Equals(server.Login, authorisation.Mailbox, StringComparison.OrdinalIgnoreCase))
        {
            string? token;
            try
            {
                token = account.NeedsReconnecting ? null : await TokenAsync(account, refused: null, cancellationToken);
            }
            catch (SignInUnavailable)
            {
                token = null;
            }

            return new SmtpRequest(new ServerEndpoint(server.Host, server.Port, server.Security), true, server.Login, token ?? "", account.TrustedCertificates)
            {
                PasswordIsToken = true,
            };
        }

        var secret = server.PasswordSecretId is { } id ? await vault.RevealAsync(session, id, cancellationToken) ?? "" : "";
        return new SmtpRequest(new ServerEndpoint(server.Host, server.Port, server.Security), server.UseAuthentication, server.Login, secret,
            account.TrustedCertificates);
    }
}
