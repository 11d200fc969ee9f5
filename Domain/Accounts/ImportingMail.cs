using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

/// <summary>
/// How an account's mail is imported into the system. <paramref name="Folders"/> null or empty: the monitored folders.
/// <paramref name="Since"/> null: all mail, whatever its date; otherwise mail that arrived on that day or later.
/// </summary>
public sealed record ImportSettings(bool On, IReadOnlyList<string>? Folders, DateOnly? Since);

/// <summary>Import was turned on or off, or its folders or its first day changed. Moving the first day back fills in the older mail.</summary>
public sealed record ImportChosen(Guid AccountId, bool On, IReadOnlyList<string>? Folders, DateOnly? Since, Guid By, DateTimeOffset At) : IAuditedEvent;
