using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Users;
using MailAccounts.Domain.Verification;

namespace MailAccounts.Infrastructure.Contacts;

/// <summary>One event of a contact's History: the contact's own, or one of its addresses' verification.</summary>
public sealed record ContactHistoryEntry(DateTimeOffset At, string EventType, Guid By, string ByName, object Event, long Sequence = 0);

/// <summary>
/// What happened to a contact, newest first: every change on its stream, and what the system learnt about each
/// address it ever held (bounces, marks, Mark valid), from the addresses' own streams.
/// </summary>
public static class ContactHistory
{
    public static async Task<IReadOnlyList<ContactHistoryEntry>?> LoadAsync(IQuerySession session, Guid contactId, CancellationToken cancellationToken)
    {
        if (await ContactQueries.FindAsync(session, contactId, cancellationToken) is null)
        {
            return null;
        }

        var events = await session.Events.FetchStreamAsync(contactId, token: cancellationToken);
        var addresses = events.Select(e => e.Data).SelectMany(e => e switch
        {
            ContactAdded added => added.Addresses.Select(a => a.Address),
            ContactAddressAdded added => [added.Address],
            _ => [],
        }).Select(AddressVerification.Normalise).Distinct().ToArray();
        var verification = new List<JasperFx.Events.IEvent>();
        foreach (var address in addresses)
        {
            verification.AddRange(await session.Events.FetchStreamAsync(AddressVerification.IdOf(address), token: cancellationToken));
        }

        var all = events.Concat(verification).ToArray();
        var people = all.Select(e => e.Data switch
        {
            IAuditedEvent audited => audited.By,
            AddressMarkedValid valid => valid.By,
            _ => Actors.System,
        }).ToArray();
        var names = (await session.LoadManyAsync<User>(cancellationToken, people.Where(p => p != Actors.System && p != Guid.Empty).Distinct().ToArray()))
            .ToDictionary(u => u.Id, u => u.DisplayName);
        return [.. all.Select((e, i) => new ContactHistoryEntry(
                e.Data is IAuditedEvent audited ? audited.At : e.Data is IVerificationEvent verified ? verified.At : e.Timestamp,
                e.Data.GetType().Name, people[i], names.GetValueOrDefault(people[i], ""), e.Data, e.Sequence))
            .OrderByDescending(e => e.At)
            .ThenByDescending(e => e.Sequence)];
    }
}
