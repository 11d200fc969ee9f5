using Marten;
using MailAccounts.Infrastructure.Mail.Mailboxes;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// How a user last chose to see the message list: the sort column, its direction and whether replies sit under their
/// parents. A document, not an event: it is a view's last state, with no history worth keeping or auditing, and it
/// changes with every header click.
/// </summary>
public sealed record ListPreference(Guid Id, ListSort Sort, bool Descending, bool Threaded)
{
    public ListOrder Order(bool sentFolder) => new(Sort, Descending, Threaded, ByRecipient: sentFolder);
}

public static class ListPreferences
{
    public static async Task<ListPreference> ForUserAsync(IQuerySession session, Guid userId, CancellationToken cancellationToken) =>
        await session.LoadAsync<ListPreference>(userId, cancellationToken) ?? new ListPreference(userId, ListSort.Date, Descending: true, Threaded: false);

    public static async Task SaveAsync(IDocumentStore store, ListPreference preference, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        session.Store(preference);
        await session.SaveChangesAsync(cancellationToken);
    }
}
