using MailAccounts.Domain.Common;
using MailAccounts.Domain.Outgoing;

namespace MailAccounts.Domain.Accounts;

// SaveAccount's outgoing part: the name and address mail is sent as (the incoming ones unless typed), where replies
// are forwarded, and which server sends it (null: the system's default).
public static partial class AccountDecisions
{
    private static IEnumerable<Violation> ValidateOutgoing(NormalisedForm form, AccountContext context)
    {
        // Only what was typed is checked here: the incoming name and address they fall back to are the details' part.
        if (form.OutgoingName.Length > MaxNameLength)
        {
            yield return new Violation(nameof(AccountForm.OutgoingName), AccountViolations.NameTooLong);
        }

        var typedAddress = form.OutgoingAddress.Length > 0
            ? CheckAddress(form.OutgoingAddress, nameof(AccountForm.OutgoingAddress), AccountViolations.AddressRequired)
            : [];
        foreach (var violation in typedAddress)
        {
            yield return violation;
        }

        // The system's default server sends with the organisation's login: only from the domains an administrator allowed.
        var address = form.Outgoing.Address;
        if (form.OutgoingServerId is null && context.SystemSenderDomains is { } allowed && EmailAddress.IsValid(address) && !SenderDomains.Allows(allowed, address))
        {
            yield return new Violation(nameof(AccountForm.OutgoingAddress), OutgoingViolations.SenderDomainNotAllowed, SenderDomains.Describe(allowed));
        }

        if (form.ForwardTo.Length > 0 && !EmailAddress.IsValid(form.ForwardTo))
        {
            yield return new Violation(nameof(AccountForm.ForwardTo), AccountViolations.AddressInvalid);
        }

        if (form.OutgoingServerId is { } server && !context.OutgoingServers.Contains(server))
        {
            yield return new Violation(nameof(AccountForm.OutgoingServerId), AccountViolations.UnknownOutgoingServer);
        }
    }

    private static IEnumerable<object> DecideOutgoing(Guid accountId, Account? current, NormalisedForm form, Guid by, DateTimeOffset at)
    {
        var outgoing = form.Outgoing;
        if (current?.Outgoing != outgoing)
        {
            yield return new OutgoingConfigured(accountId, outgoing.Name, outgoing.Address, outgoing.ForwardTo, outgoing.ServerId, by, at);
        }
    }
}
