namespace MailAccounts.Domain.Common;

/// <summary>Every settings event says who caused it and when: the audit trail reads these two.</summary>
public interface IAuditedEvent
{
    Guid By { get; }

    DateTimeOffset At { get; }
}
