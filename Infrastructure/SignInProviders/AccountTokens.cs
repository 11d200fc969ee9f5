using System.Security.Cryptography;
using System.Text;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.Secrets;
using Microsoft.Extensions.Logging;

namespace MailAccounts.Infrastructure.SignInProviders;

/// <summary>
/// An access token to sign in with, or why there is none. <see cref="NeedsReconnecting"/> when the provider refused the
/// grant for good (now, or earlier): only the user signing in again mends it, so nothing retries.
/// </summary>
public sealed record AccessToken(string? Token, string? Problem, bool NeedsReconnecting = false)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Token = {(Token is null ? "none" : "***")}, Problem = {Problem}, NeedsReconnecting = {NeedsReconnecting}");
        return true;
    }
}

/// <summary>
/// The access tokens of accounts that sign in with a provider: read from the vault, and refreshed before they expire.
/// A refresh runs under a PostgreSQL transaction-level advisory lock of the account's token, so that two requests or
/// two hosts never redeem the same refresh token (the second would be refused, and with rotation the whole grant
/// revoked); the second waits, then reads the token the first stored. The rotated refresh token replaces the old one in
/// that same transaction, and a refusal for good records <see cref="AuthorisationLost"/> in it too.
/// </summary>
public sealed class AccountTokens(IDocumentStore store, SecretVault vault, TokenEndpoint endpoint, TimeProvider time, ILogger<AccountTokens> logger)
{
    /// <summary>
    /// A token for the account, refreshed first when it is due, or when the server just refused the one stored
    /// (<paramref name="refused"/>: revoked early, or the clocks disagree). Whoever finds that another request renewed
    /// the refused token meanwhile takes the new one rather than renewing it again.
    /// </summary>
    public async Task<AccessToken> ForAsync(Account account, CancellationToken cancellationToken, string? refused = null)
    {
        if (account.Authorisation is not { } authorisation)
        {
            return new AccessToken(null, "The account does not sign in with a provider.");
        }

        if (authorisation.NeedsReconnecting)
        {
            return new AccessToken(null, Lost(authorisation.LostReason), NeedsReconnecting: true);
        }

        await using (var query = store.QuerySession())
        {
            var stored = await RevealAsync(query, authorisation.TokenSecretId, cancellationToken);
            if (stored is null)
            {
                return new AccessToken(null, "The account's token is not in the vault any more: sign in with the provider again.", NeedsReconnecting: true);
            }

            if (refused is null && !stored.IsDueForRefresh(time.GetUtcNow()))
            {
                return new AccessToken(stored.AccessToken, null);
            }
        }

        return await RefreshAsync(account.Id, authorisation, refused, cancellationToken);
    }

    private async Task<AccessToken> RefreshAsync(Guid accountId, Authorisation authorisation, string? refused, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(cancellationToken);
        // Held until the transaction ends: whoever waited reads what the holder stored.
        await session.QueryAsync<int>("select 1 from pg_advisory_xact_lock(?)", cancellationToken, LockKeyOf(authorisation.TokenSecretId));

        var stream = await session.Events.FetchForWriting<Account>(accountId, cancellationToken);
        if (stream.Aggregate?.Authorisation is not { } current || current.TokenSecretId != authorisation.TokenSecretId)
        {
            // Reconnected or signed in anew meanwhile: that grant's token is the one to use.
            return stream.Aggregate is { } changed ? await ForAsync(changed, cancellationToken) : new AccessToken(null, "The account is gone.");
        }

        if (current.NeedsReconnecting)
        {
            return new AccessToken(null, Lost(current.LostReason), NeedsReconnecting: true);
        }

        var stored = await RevealAsync(session, current.TokenSecretId, cancellationToken);
        var now = time.GetUtcNow();
        if (stored is null)
        {
            return new AccessToken(null, "The account's token is not in the vault any more: sign in with the provider again.", NeedsReconnecting: true);
        }

        // Someone refreshed while this waited for the lock.
        if (!stored.IsDueForRefresh(now) && (refused is null || refused != stored.AccessToken))
        {
            return new AccessToken(stored.AccessToken, null);
        }

        var provider = await session.LoadAsync<SignInProvider>(current.ProviderId, cancellationToken);
        var clientSecret = provider is null ? null : await vault.RevealAsync(session, provider.ClientSecretId, cancellationToken);
        TokenRefusal refusal;
        if (provider is null || clientSecret is null)
        {
            refusal = new TokenRefusal("provider_removed", "The sign-in provider the account used is no longer registered.", Final: true);
        }
        else if (stored.RefreshToken is not { } refreshToken)
        {
            refusal = new TokenRefusal("no_refresh_token", $"{provider.Name} gave no refresh token, so the access token cannot be renewed.", Final: true);
        }
        else
        {
            var (answer, refusedNow) = await endpoint.RefreshAsync(provider, clientSecret, refreshToken, CancellationToken.None);
            if (answer is not null)
            {
                vault.Store(session, current.TokenSecretId, stream.Aggregate.OwnerId, answer.Tokens.ToJson());
                await session.SaveChangesAsync(CancellationToken.None);
                logger.LogInformation("Renewed the access token of account {AccountId} with {Provider}.", accountId, provider.Name);
                return new AccessToken(answer.Tokens.AccessToken, null);
            }

            refusal = refusedNow!;
        }

        if (!refusal.Final)
        {
            logger.LogWarning("Could not renew the access token of account {AccountId}: {Refusal}", accountId, refusal.Error);
            // The stored token may still be good for a while; past its end the server will say so.
            return stored.ExpiresAt > now
                ? new AccessToken(stored.AccessToken, null)
                : new AccessToken(null, $"The access token could not be renewed: {refusal}");
        }

        var decision = AccountDecisions.LoseAuthorisation(stream.Aggregate, refusal.ToString(), now);
        stream.AppendMany(decision.Events.ToArray());
        await session.SaveChangesAsync(CancellationToken.None);
        logger.LogWarning("Account {AccountId} lost its authorisation with {Provider}: {Refusal}", accountId, provider?.Name, refusal.Error);
        return new AccessToken(null, Lost(refusal.ToString()), NeedsReconnecting: true);
    }

    /// <summary>Stores the tokens a sign-in gave under a new reference, with the session's other work; returns the reference.</summary>
    public Guid Store(IDocumentSession session, Guid ownerId, TokenSet tokens)
    {
        var id = Guid.CreateVersion7();
        vault.Store(session, id, ownerId, tokens.ToJson());
        return id;
    }

    public async Task<TokenSet?> RevealAsync(IQuerySession session, Guid tokenSecretId, CancellationToken cancellationToken) =>
        await vault.RevealAsync(session, tokenSecretId, cancellationToken) is { } json ? TokenSet.FromJson(json) : null;

    private static string Lost(string? reason) =>
        $"The provider no longer accepts this account's sign-in ({reason}): reconnect the account.";

    private static long LockKeyOf(Guid tokenSecretId) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"token/{tokenSecretId:N}")), 0);
}
