using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Import;

/// <summary>
/// Import what is new in an account's import folders (and what a moved first day or a retry asks for). Published by
/// the checks to the durable import queue; <paramref name="By"/> is who asked (the system for a scheduled check).
/// </summary>
public sealed record ImportAccount(Guid AccountId, Guid By);

/// <summary>The Import button of the live list: these messages of one folder, whether or not the account imports on its own.</summary>
public sealed record ImportMessages(Actor Actor, Guid AccountId, string Folder, IReadOnlyList<uint> Uids);
