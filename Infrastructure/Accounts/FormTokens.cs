using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Secrets;
using MailAccounts.Infrastructure.SignInProviders;

namespace MailAccounts.Infrastructure.Accounts;

/// <summary>
/// The access token the account form's tests sign in with: the one a sign-in on the form just gave (its grant names
/// tokens the actor stored), or the saved account's own, renewed when due. Null for a form that signs in with a password.
/// </summary>
internal static class FormTokens
{
    public static async Task<string?> ForAsync(
        IQuerySession session, AccountTokens tokens, Actor actor, AccountForm form, AccountForForm? saved, CancellationToken cancellationToken)
    {
        if (form.Grant is { } grant)
        {
            // Only tokens the actor's own sign-in stored: a grant names a reference, never someone else's.
            var secret = await session.LoadAsync<ProtectedSecret>(grant.TokenSecretId, cancellationToken);
            return secret is not null && secret.OwnerId == actor.UserId
                ? (await tokens.RevealAsync(session, grant.TokenSecretId, cancellationToken))?.AccessToken
                : null;
        }

        return saved?.Account is { Authorisation: not null } account ? (await tokens.ForAsync(account, cancellationToken)).Token : null;
    }
}
