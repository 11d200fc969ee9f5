using System.Security.Cryptography;
using System.Text;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.SignInProviders;
using MailAccounts.Infrastructure.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace MailAccounts.Infrastructure.SignInProviders;

/// <summary>
/// A "Sign in with …" that left for the provider and has not come back: the <c>state</c> it sent (its id), the PKCE
/// verifier (encrypted), who started it and for what, the address the provider must send the browser back to, and the
/// account form as it was typed (without its passwords), so that the form comes back as the user left it. Used once,
/// and only by the user who started it, within <see cref="SignIns.Lifetime"/>.
/// </summary>
public sealed record PendingSignIn(
    string Id, Guid UserId, Guid ProviderId, Guid? AccountId, bool Reconnect, string ProtectedVerifier, string RedirectUri, string? LoginHint, string Form,
    DateTimeOffset ExpiresAt);

/// <summary>
/// A sign-in that came back, waiting for the account form (or Reconnect) to take it up: the grant, when the provider
/// gave tokens (they are in the vault under <see cref="OAuthGrant.TokenSecretId"/>), or why not; and the form as it was
/// left, so that it comes back as typed either way. Swept with its tokens after <see cref="SignIns.FormLifetime"/>
/// unless an account took them.
/// </summary>
public sealed record ReturnedSignIn(
    Guid Id, Guid UserId, Guid? AccountId, bool Reconnect, OAuthGrant? Grant, string ProviderName, string Form, string? Refusal, string? ProviderWords,
    DateTimeOffset ExpiresAt);

/// <summary>Why a sign-in that came back was refused: its word's key is <c>SignIn.</c> and the code.</summary>
public static class SignInRefusals
{
    /// <summary>No sign-in of this user sent this state: forged, used already, or someone else's.</summary>
    public const string Unknown = "Unknown";
    public const string Expired = "Expired";
    /// <summary>The user pressed Cancel (or Deny) on the provider's page.</summary>
    public const string Denied = "Denied";
    /// <summary>The provider answered with an error of its own, or refused the code.</summary>
    public const string ProviderError = "ProviderError";
    /// <summary>The provider gave no address and none was typed: the mailbox to sign in as is not known.</summary>
    public const string NoMailbox = "NoMailbox";
}

/// <summary>
/// The authorization code flow with PKCE (RFC 7636, S256) and <c>state</c> (RFC 6749 §10.12), as the account form and
/// Reconnect use it: <see cref="StartAsync"/> keeps the state and verifier server-side and gives the provider's address;
/// <see cref="FinishAsync"/> takes the state back exactly once, for the same user, before it expires, redeems the code
/// with the verifier and stores the tokens in the vault.
/// </summary>
public sealed class SignIns(IDocumentStore store, SecretVault vault, TokenEndpoint endpoint, IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>How long the provider's page may take: long enough to type a password and a second factor.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long a form signed in may wait for Done before its unused tokens are forgotten.</summary>
    public static readonly TimeSpan FormLifetime = TimeSpan.FromHours(12);

    private readonly IDataProtector _verifiers = protection.CreateProtector("MailAccounts.SignIns.Verifier.v1");

    /// <summary>The provider's authorization address with the request's parameters; the sign-in waits for its callback.</summary>
    public async Task<Uri> StartAsync(
        Guid userId, SignInProvider provider, Guid? accountId, bool reconnect, string form, Uri redirectUri, string? loginHint, CancellationToken cancellationToken)
    {
        var state = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        await using (var session = store.LightweightSession())
        {
            await SweepAsync(session, cancellationToken);
            session.Store(new PendingSignIn(state, userId, provider.Id, accountId, reconnect, _verifiers.Protect(verifier), redirectUri.AbsoluteUri,
                loginHint is { Length: > 0 } ? loginHint.Trim() : null, form,
                time.GetUtcNow() + Lifetime));
            await session.SaveChangesAsync(cancellationToken);
        }

        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = provider.ClientId,
            ["redirect_uri"] = redirectUri.AbsoluteUri,
            ["scope"] = provider.Scopes,
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        if (loginHint is { Length: > 0 })
        {
            parameters["login_hint"] = loginHint;
        }

        if (provider.Kind == SignInProviderKind.Google)
        {
            // Google issues a refresh token only for offline access, and again only when consent is asked again.
            parameters["access_type"] = "offline";
            parameters["prompt"] = "consent";
        }

        return new Uri(QueryHelpers.AddQueryString(provider.AuthorizationEndpoint.Replace("{tenant}", provider.Tenant, StringComparison.Ordinal), parameters));
    }

    /// <summary>
    /// The provider's answer at the callback. The state is taken (deleted) first, under its own lock, so that a
    /// callback replayed, even at the same moment, finds nothing; then it must be this user's and unexpired. Null when
    /// no sign-in of this user sent the state (forged, used already, or someone else's): there is no form to go back to.
    /// </summary>
    public async Task<ReturnedSignIn?> FinishAsync(
        Guid userId, string? state, string? code, string? error, string? errorDescription, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state))
        {
            return null;
        }

        PendingSignIn? found;
        await using (var take = store.LightweightSession())
        {
            await take.BeginTransactionAsync(cancellationToken);
            await take.QueryAsync<int>("select 1 from pg_advisory_xact_lock(?)", cancellationToken, LockKeyOf(state));
            found = await take.LoadAsync<PendingSignIn>(state, cancellationToken);
            if (found is null || found.UserId != userId)
            {
                // Another user's callback leaves it be: it is not theirs to use up.
                return null;
            }

            take.Delete(found);
            await take.SaveChangesAsync(cancellationToken);
        }

        await using var session = store.LightweightSession();
        var provider = await session.LoadAsync<SignInProvider>(found.ProviderId, cancellationToken);
        var (grant, refusal, words) = await RedeemAsync(session, found, provider, code, error, errorDescription, cancellationToken);
        var returned = new ReturnedSignIn(Guid.CreateVersion7(), userId, found.AccountId, found.Reconnect, grant, provider?.Name ?? "",
            found.Form, refusal, words, time.GetUtcNow() + FormLifetime);
        session.Store(returned);
        await session.SaveChangesAsync(cancellationToken);
        return returned;
    }

    private async Task<(OAuthGrant? Grant, string? Refusal, string? Words)> RedeemAsync(
        IDocumentSession session, PendingSignIn pending, SignInProvider? provider, string? code, string? error, string? errorDescription,
        CancellationToken cancellationToken)
    {
        if (pending.ExpiresAt < time.GetUtcNow())
        {
            return (null, SignInRefusals.Expired, null);
        }

        if (error is { Length: > 0 })
        {
            return (null, error == "access_denied" ? SignInRefusals.Denied : SignInRefusals.ProviderError,
                errorDescription is { Length: > 0 } ? $"{error}: {errorDescription}" : error);
        }

        if (provider is null)
        {
            return (null, SignInRefusals.Unknown, null);
        }

        if (string.IsNullOrEmpty(code))
        {
            return (null, SignInRefusals.ProviderError, "no code");
        }

        var secret = await vault.RevealAsync(session, provider.ClientSecretId, cancellationToken) ?? "";
        var (answer, refusal) = await endpoint.RedeemAsync(provider, secret, code, _verifiers.Unprotect(pending.ProtectedVerifier), new Uri(pending.RedirectUri), cancellationToken);
        if (answer is null)
        {
            return (null, SignInRefusals.ProviderError, refusal?.ToString());
        }

        // Yandex and Mail.ru name no address in their answer: the address typed in the form is the mailbox then.
        if ((answer.Email ?? pending.LoginHint) is not { } mailbox)
        {
            return (null, SignInRefusals.NoMailbox, null);
        }

        var tokenSecretId = Guid.CreateVersion7();
        vault.Store(session, tokenSecretId, pending.UserId, answer.Tokens.ToJson());
        return (new OAuthGrant(provider.Id, mailbox, answer.Scope, tokenSecretId), null, null);
    }

    /// <summary>A sign-in that came back, for the user it came back to; null when there is none (or it is another's).</summary>
    public async Task<ReturnedSignIn?> ReturnedAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ReturnedSignIn>(id, cancellationToken) is { } returned && returned.UserId == userId && returned.ExpiresAt >= time.GetUtcNow()
            ? returned
            : null;
    }

    /// <summary>Done with a sign-in that came back (Reconnect took it up): it is forgotten; its tokens are the account's now, or were forgotten with the refusal.</summary>
    public async Task ForgetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Delete<ReturnedSignIn>(id);
        await session.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Forgets what a sign-in left that nothing took: expired states, and signed-in forms never saved, with their
    /// tokens, unless an account signs in with them now.
    /// </summary>
    public async Task SweepAsync(IDocumentSession session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        session.DeleteWhere<PendingSignIn>(p => p.ExpiresAt < now);
        var unclaimed = await session.Query<ReturnedSignIn>().Where(s => s.ExpiresAt < now).ToListAsync(cancellationToken);
        foreach (var returned in unclaimed)
        {
            if (returned.Grant?.TokenSecretId is { } secret
                && !await session.Query<Account>().AnyAsync(a => a.Authorisation != null && a.Authorisation.TokenSecretId == secret, cancellationToken))
            {
                vault.Forget(session, secret);
            }

            session.Delete(returned);
        }
    }

    private static long LockKeyOf(string state) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("sign-in/" + state)), 0);
}
