using Marten;
using Marten.Linq.MatchesSql;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Contacts;
using MailAccounts.Domain.Import;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Sending;

namespace MailAccounts.Infrastructure.Contacts;

public enum CorrespondenceKind
{
    /// <summary>Sent through the system to one of the contact's addresses.</summary>
    Sent,

    /// <summary>An imported letter from the contact.</summary>
    From,

    /// <summary>An imported letter to the contact, or copied to it.</summary>
    To,
}

/// <summary>A message exchanged with a contact: sent through the system to one of its addresses, or an imported letter from or to one.</summary>
public sealed record CorrespondenceItem(CorrespondenceKind Kind, DateTimeOffset At, string Subject, string Party, Guid AccountId, Guid Id, string? Folder);

/// <summary>
/// A contact's correspondence as one viewer may see it: mail sent through the system only from the accounts the viewer
/// may use (<see cref="AccountAccess"/>), imported letters only by <see cref="ImportedMail"/>'s rule; newest first.
/// Another user's individual account never shows, even to an administrator.
/// </summary>
public static class Correspondence
{
    public const int Limit = 100;

    public static async Task<IReadOnlyList<CorrespondenceItem>> OfAsync(IQuerySession session, Actor viewer, Contact contact, CancellationToken cancellationToken)
    {
        var addresses = ImportedMail.Bare(contact.Addresses.Select(a => a.Address));
        if (addresses.Length == 0)
        {
            return [];
        }

        var accounts = await ImportedMail.AccountsAsync(session, viewer, cancellationToken);
        var ids = accounts.Select(a => a.Id).ToArray();
        var sent = ids.Length == 0
            ? []
            : await session.Query<SentMail>()
                .Where(m => m.AccountId.IsOneOf(ids) && m.MatchesSql(
                    "exists (select 1 from jsonb_array_elements_text(coalesce(d.data -> 'RecipientAddresses', '[]'::jsonb)) r where lower(trim(r)) = any(?))",
                    new object[] { addresses }))
                .OrderByDescending(m => m.SentAt)
                .Take(Limit)
                .ToListAsync(cancellationToken);
        var letters = await ImportedMail.ExchangedWithAsync(session, viewer, addresses, Limit, cancellationToken);
        var sentFolders = accounts.ToDictionary(a => a.Id, a => a.SentFolder);
        return [.. sent.Select(m => new CorrespondenceItem(CorrespondenceKind.Sent, m.SentAt, m.Subject,
                    string.Join(", ", (m.RecipientAddresses ?? []).Where(r => addresses.Contains(r.Trim().ToLowerInvariant()))), m.AccountId, m.Id,
                    sentFolders.GetValueOrDefault(m.AccountId)))
            .Concat(letters.Select(l => ItemOf(l, addresses, ids)))
            .OrderByDescending(i => i.At)
            .Take(Limit)];
    }

    /// <summary>An imported letter as a row of the contact's correspondence: from it or to it, with the contact's part in it.</summary>
    /// <param name="accountIds">The accounts the viewer may use: the row names one of those the letter was found in.</param>
    public static CorrespondenceItem ItemOf(Letter letter, Contact contact, IReadOnlyCollection<Guid> accountIds) =>
        ItemOf(letter, ImportedMail.Bare(contact.Addresses.Select(a => a.Address)), accountIds);

    private static CorrespondenceItem ItemOf(Letter letter, string[] addresses, IReadOnlyCollection<Guid> accountIds) => new(
        IsFrom(letter, addresses) ? CorrespondenceKind.From : CorrespondenceKind.To, letter.Sorted, letter.Headers.Subject, Party(letter, addresses),
        letter.AccountIds.FirstOrDefault(accountIds.Contains), letter.Id, null);

    /// <summary>How the letter involves the contact: from it, or to it.</summary>
    private static bool IsFrom(Letter letter, string[] addresses) => addresses.Contains(ImportedMail.AddressIn(letter.Headers.From));

    private static string Party(Letter letter, string[] addresses) =>
        IsFrom(letter, addresses) ? letter.Headers.From : string.Join(", ",
            letter.Headers.To.Concat(letter.Headers.Cc).Where(h => addresses.Contains(ImportedMail.AddressIn(h))));
}
