using Marten;
using MailAccounts.Domain.Sending;

namespace MailAccounts.Infrastructure.Sending;

/// <summary>An address offered while the user types in To, Cc or Bcc.</summary>
public sealed record AddressSuggestion(string Name, string Address)
{
    /// <summary>As it goes in the field: the address with its name, quoted where a name holds a comma.</summary>
    public string Text => new Recipient(Name, Address).ToString();
}

/// <summary>
/// One place addresses come from (what the user wrote to, who the user received mail from; the contacts issue adds the
/// address book). Each answers
/// for the signed-in user only, with at most <c>limit</c> matches, best first.
/// </summary>
public interface IAddressSource
{
    Task<IReadOnlyList<AddressSuggestion>> FindAsync(IQuerySession session, Guid userId, string typed, int limit, CancellationToken cancellationToken);
}

/// <summary>Every registered source asked in turn, each address offered once, in the sources' order.</summary>
public sealed class AddressSuggestions(IEnumerable<IAddressSource> sources)
{
    public const int Limit = 8;

    public Task<IReadOnlyList<AddressSuggestion>> ForAsync(IQuerySession session, Guid userId, string? typed, CancellationToken cancellationToken) =>
        ForAsync(session, userId, typed, [], cancellationToken);

    /// <summary>The same, never offering one of <paramref name="own"/> (the user's own addresses: mail in Sent is from them).</summary>
    public async Task<IReadOnlyList<AddressSuggestion>> ForAsync(
        IQuerySession session, Guid userId, string? typed, IReadOnlyCollection<string> own, CancellationToken cancellationToken)
    {
        var prefix = (typed ?? "").Trim();
        if (prefix.Length == 0 || prefix.Length > 100)
        {
            return [];
        }

        var found = new List<AddressSuggestion>();
        foreach (var source in sources)
        {
            foreach (var suggestion in await source.FindAsync(session, userId, prefix, Limit, cancellationToken))
            {
                if (found.Count < Limit && !found.Any(f => string.Equals(f.Address, suggestion.Address, StringComparison.OrdinalIgnoreCase))
                    && !own.Contains(suggestion.Address, StringComparer.OrdinalIgnoreCase))
                {
                    found.Add(suggestion);
                }
            }
        }

        return found;
    }
}

/// <summary>
/// Someone the user wrote to: noted when the outgoing server accepts a message, with the name the user gave them.
/// Only the address and name are kept (no subject, no text), one document per user and address.
/// </summary>
public sealed record Correspondent(Guid Id, Guid UserId, string Address, string Name, string Search, int Times, DateTimeOffset LastWrittenAt);

public static class Correspondents
{
    /// <summary>The recipients of a message the server accepted, in the transaction that records the acceptance.</summary>
    public static async Task NoteAsync(IDocumentSession session, OutgoingMail mail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var recipients = new[] { mail.To, mail.Cc, mail.Bcc }.SelectMany(f => Recipients.Parse(f).Recipients)
            .DistinctBy(r => r.Address.ToLowerInvariant()).ToList();
        if (recipients.Count == 0)
        {
            return;
        }

        var ids = recipients.Select(r => IdOf(mail.UserId, r.Address)).ToArray();
        var known = (await session.LoadManyAsync<Correspondent>(cancellationToken, ids)).ToDictionary(c => c.Id);
        foreach (var recipient in recipients)
        {
            var id = IdOf(mail.UserId, recipient.Address);
            var name = recipient.Name.Length > 0 ? recipient.Name : known.GetValueOrDefault(id)?.Name ?? "";
            session.Store(new Correspondent(
                id, mail.UserId, recipient.Address, name, (recipient.Address + " " + name).ToLowerInvariant(),
                (known.GetValueOrDefault(id)?.Times ?? 0) + 1, now));
        }
    }

    /// <summary>One document per user and address, found without a query.</summary>
    public static Guid IdOf(Guid userId, string address)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes("correspondent:" + userId.ToString("N") + ":" + address.ToLowerInvariant()));
        return new Guid(hash.AsSpan(0, 16));
    }
}

/// <summary>The addresses the user wrote to, most written to first; matched anywhere in the address or the name.</summary>
public sealed class WrittenToAddresses : IAddressSource
{
    public async Task<IReadOnlyList<AddressSuggestion>> FindAsync(
        IQuerySession session, Guid userId, string typed, int limit, CancellationToken cancellationToken)
    {
        var search = typed.ToLowerInvariant();
        var found = await session.Query<Correspondent>()
            .Where(c => c.UserId == userId && c.Search.Contains(search))
            .OrderByDescending(c => c.Times).ThenByDescending(c => c.LastWrittenAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. found.Select(c => new AddressSuggestion(c.Name, c.Address))];
    }
}
