using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

public enum AccountKind
{
    Individual,
    Group,
}

/// <summary>A mailbox was connected. <paramref name="By"/> is the user who did it, <paramref name="At"/> when.</summary>
public sealed record AccountCreated(
    Guid AccountId,
    Guid OwnerId,
    AccountKind Kind,
    string Title,
    string Name,
    string Address,
    Guid By,
    DateTimeOffset At) : IAuditedEvent;
