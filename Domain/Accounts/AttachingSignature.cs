using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

// SaveAccount's signature part: one of the user's own signatures, or none to fall back to the user's default.
public static partial class AccountDecisions
{
    private static IEnumerable<Violation> ValidateSignature(NormalisedForm form, AccountContext context)
    {
        if (form.SignatureId is { } signature && context.Signatures?.Contains(signature) != true)
        {
            yield return new Violation(nameof(AccountForm.SignatureId), AccountViolations.UnknownSignature);
        }
    }

    private static IEnumerable<object> DecideSignature(Guid accountId, Account? current, NormalisedForm form, Guid by, DateTimeOffset at)
    {
        if (current?.SignatureId != form.SignatureId)
        {
            yield return new SignatureAttached(accountId, form.SignatureId, by, at);
        }
    }
}
