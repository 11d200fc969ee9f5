using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Import;

/// <summary>
/// Import what is new in an account's import folders (and what a moved first day or a retry asks for). Published by
/// the checks to the durable import queue; <paramref name="By"/> is who asked (the system for a scheduled check).
/// <paramref name="Continues"/>: the run before this one stopped at the end of its time slice, and this one goes on
/// where it committed last, counting on from its progress.
/// </summary>
public sealed record ImportAccount(Guid AccountId, Guid By, bool Continues = false);

/// <summary>What the Import button asked for, checked and queued: these UIDs of one folder, imported by <paramref name="By"/>.</summary>
public sealed record ImportUids(Guid AccountId, string Folder, IReadOnlyList<uint> Uids, Guid By);

/// <summary>The Import button of the live list: these messages of one folder, whether or not the account imports on its own.</summary>
public sealed record ImportMessages(Actor Actor, Guid AccountId, string Folder, IReadOnlyList<uint> Uids);
