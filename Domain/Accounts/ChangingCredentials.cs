using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

// SaveAccount's credentials part: the login and the reference to the stored password, never the password itself.
public static partial class AccountDecisions
{
    public const int MaxLoginLength = 254;

    private static IEnumerable<Violation> ValidateCredentials(Account? current, NormalisedForm form)
    {
        if (form.Login.Length == 0)
        {
            yield return new Violation(nameof(AccountForm.Login), AccountViolations.LoginRequired);
        }
        else if (form.Login.Length > MaxLoginLength)
        {
            yield return new Violation(nameof(AccountForm.Login), AccountViolations.LoginTooLong);
        }

        // Signed in with a provider on the form: no password, and the new token goes to the servers on the form.
        if (form.Grant is not null)
        {
            yield break;
        }

        if (current?.Incoming is not { } saved)
        {
            if (form.NewPasswordSecretId is null)
            {
                yield return new Violation("Password", AccountViolations.PasswordRequired);
            }
        }
        // The saved password goes only to the server and login it was saved for, on Done as on Test: a form that
        // names another one must type it again, or the old password would be sent to whatever server was typed.
        else if (form.NewPasswordSecretId is null && (saved.Protocol != form.Protocol || saved.Host != form.Host || saved.Port != form.Port
            || saved.Security != form.Security || saved.Login != form.Login))
        {
            yield return new Violation("Password", AccountViolations.PasswordRequiredForServer);
        }
    }

    /// <summary>
    /// A new login or a typed password is a <see cref="CredentialsChanged"/>; an empty password keeps the stored one (or
    /// the token, for an account that signs in with a provider). A new grant from the form is an <see cref="AccountAuthorised"/>.
    /// </summary>
    private static IEnumerable<object> DecideCredentials(Guid accountId, Account? current, NormalisedForm form, Guid by, DateTimeOffset at)
    {
        if (form.Grant is { } grant)
        {
            if (current?.Authorisation?.TokenSecretId != grant.TokenSecretId)
            {
                yield return new AccountAuthorised(accountId, grant.ProviderId, grant.Mailbox, grant.Scopes, grant.TokenSecretId, by, at);
            }
        }
        else if (current?.Incoming is not { } incoming || incoming.Login != form.Login || form.NewPasswordSecretId is not null)
        {
            yield return new CredentialsChanged(accountId, form.Login, form.NewPasswordSecretId ?? current!.Incoming!.PasswordSecretId, by, at);
        }
    }
}
