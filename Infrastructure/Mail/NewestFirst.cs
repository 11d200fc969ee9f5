using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// The UIDs of a folder, newest first (SORT where the server has it), remembered on the connection for as long as the
/// folder provably holds the same messages: a kept connection sorts a folder of 100,000 messages once, not for every
/// page. Only the set of messages decides the arrival order (flags do not). One cheap ESEARCH for the count and the
/// highest UID tells whether the set is still the sorted one: a new message always gets a UID above every earlier
/// one, and expunging alone lowers the count. The server answers it from the folder as this connection last saw it
/// and sends the news since then (EXISTS, EXPUNGE) with the answer, as it does with any command; so the set is the
/// same only when the answer matches the sorted list and no news came. That is as fresh as a SORT on the same
/// connection would be. One folder is remembered per connection, and only while the connection lives; without
/// ESEARCH nothing is remembered.
/// </summary>
internal sealed class NewestFirst
{
    private static readonly ConditionalWeakTable<IMailStore, NewestFirst> Connections = new();

    private Sorted? _sorted;

    public static Task<IList<UniqueId>> UidsAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken) =>
        Connections.GetValue(client, _ => new NewestFirst()).GetAsync(client, folder, cancellationToken);

    private async Task<IList<UniqueId>> GetAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken)
    {
        var probe = client.Capabilities.HasFlag(ImapCapabilities.ESearch);
        if (probe && _sorted is { } sorted && sorted.Folder == folder.FullName && await UnchangedAsync(folder, sorted, cancellationToken))
        {
            return sorted.Uids;
        }

        _sorted = null;
        IList<UniqueId> uids = client.Capabilities.HasFlag(ImapCapabilities.Sort)
            ? await folder.SortAsync(SearchQuery.All, [OrderBy.ReverseArrival], cancellationToken)
            : (await folder.SearchAsync(SearchQuery.All, cancellationToken)).Reverse().ToList();
        if (probe)
        {
            // The key comes from the list itself, so a message that arrived while the SORT ran cannot be missed.
            _sorted = new Sorted(folder.FullName, folder.UidValidity, uids, uids.Count == 0 ? null : uids.Max());
        }

        return uids;
    }

    private static async Task<bool> UnchangedAsync(IMailFolder folder, Sorted sorted, CancellationToken cancellationToken)
    {
        var removed = false;
        void Removed(object? sender, EventArgs e) => removed = true;
        var count = folder.Count;
        folder.MessageExpunged += Removed;
        folder.MessagesVanished += Removed;
        try
        {
            var seen = await folder.SearchAsync(SearchOptions.Count | SearchOptions.Max, SearchQuery.All, cancellationToken);
            return seen.Count == sorted.Uids.Count && seen.Max == sorted.Max
                && !removed && folder.Count == count && folder.UidValidity == sorted.UidValidity;
        }
        finally
        {
            folder.MessageExpunged -= Removed;
            folder.MessagesVanished -= Removed;
        }
    }

    private sealed record Sorted(string Folder, uint UidValidity, IList<UniqueId> Uids, UniqueId? Max);
}
