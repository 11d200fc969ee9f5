using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

// SaveAccount's incoming part: the server mail is read from (the port follows protocol and security unless typed).
public static partial class AccountDecisions
{
    private static IEnumerable<Violation> ValidateIncoming(NormalisedForm form)
    {
        if (!Enum.IsDefined(form.Protocol))
        {
            yield return new Violation(nameof(AccountForm.Protocol), AccountViolations.ChoiceInvalid);
        }

        if (!Enum.IsDefined(form.Security))
        {
            yield return new Violation(nameof(AccountForm.Security), AccountViolations.ChoiceInvalid);
        }

        foreach (var violation in ServerEndpoint.Check(form.Host, form.Port))
        {
            yield return violation;
        }
    }

    private static IEnumerable<object> DecideIncoming(Guid accountId, Account? current, NormalisedForm form, Guid by, DateTimeOffset at)
    {
        if (current?.Incoming is not { } incoming || incoming.Protocol != form.Protocol || incoming.Host != form.Host
            || incoming.Port != form.Port || incoming.Security != form.Security)
        {
            yield return new IncomingServerConfigured(accountId, form.Protocol, form.Host, form.Port, form.Security, by, at);
        }
    }
}
