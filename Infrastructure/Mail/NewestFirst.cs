using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// The UIDs of the open folder, newest first (SORT where the server has it), remembered on the connection for as long as
/// the folder provably holds the same messages: a pooled connection sorts a folder of 100,000 messages once, not for
/// every page. Only the set of messages decides the arrival order (flags do not), and the set is unchanged when no
/// new, expunged or vanished message was reported on this connection since the SORT, and UIDVALIDITY, UIDNEXT and the
/// message count are still what they were (they come fresh with every SELECT or EXAMINE; on a folder that stayed open,
/// the pool's NOOP brings the changes as EXISTS and EXPUNGE). One folder is remembered per connection, and only
/// while the connection lives.
/// </summary>
internal sealed class NewestFirst
{
    private static readonly ConditionalWeakTable<IMailStore, NewestFirst> Connections = new();

    private IMailFolder? _folder;
    private long _changes;
    private (uint UidValidity, uint? UidNext, int Count) _counts;
    private Snapshot? _sorted;

    public static async Task<IList<UniqueId>> UidsAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken)
    {
        var remembered = Connections.GetValue(client, _ => new NewestFirst());
        return await remembered.GetAsync(client, folder, cancellationToken);
    }

    private async Task<IList<UniqueId>> GetAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(_folder, folder))
        {
            Watch(folder);
        }

        // Read before the SORT: a change reported while it runs leaves the result unremembered for the next page.
        var changes = Interlocked.Read(ref _changes);
        if (_sorted is { } sorted && sorted.Changes == changes && sorted.Matches(folder))
        {
            return sorted.Uids;
        }

        IList<UniqueId> uids = client.Capabilities.HasFlag(ImapCapabilities.Sort)
            ? await folder.SortAsync(SearchQuery.All, [OrderBy.ReverseArrival], cancellationToken)
            : (await folder.SearchAsync(SearchQuery.All, cancellationToken)).Reverse().ToList();
        _sorted = uids.Count == folder.Count && folder.UidNext is { } next
            ? new Snapshot(changes, folder.UidValidity, next.Id, folder.Count, uids)
            : null;
        return uids;
    }

    private void Watch(IMailFolder folder)
    {
        if (_folder is { } previous)
        {
            previous.CountChanged -= CountsChanged;
            previous.UidNextChanged -= CountsChanged;
            previous.UidValidityChanged -= CountsChanged;
            previous.MessageExpunged -= Removed;
            previous.MessagesVanished -= Removed;
        }

        _sorted = null;
        _folder = folder;
        _counts = Counts(folder);
        folder.CountChanged += CountsChanged;
        folder.UidNextChanged += CountsChanged;
        folder.UidValidityChanged += CountsChanged;
        folder.MessageExpunged += Removed;
        folder.MessagesVanished += Removed;
    }

    /// <summary>
    /// MailKit raises CountChanged for every EXISTS and for every STATUS of the open folder (the folder list asks for
    /// one), also when the count stayed: only a different value is a change.
    /// </summary>
    private void CountsChanged(object? sender, EventArgs e)
    {
        var counts = Counts(_folder!);
        if (counts != _counts)
        {
            _counts = counts;
            Interlocked.Increment(ref _changes);
        }
    }

    private void Removed(object? sender, EventArgs e) => Interlocked.Increment(ref _changes);

    private static (uint, uint?, int) Counts(IMailFolder folder) => (folder.UidValidity, folder.UidNext?.Id, folder.Count);

    private sealed record Snapshot(long Changes, uint UidValidity, uint UidNext, int Count, IList<UniqueId> Uids)
    {
        public bool Matches(IMailFolder folder) =>
            folder.UidValidity == UidValidity && folder.UidNext?.Id == UidNext && folder.Count == Count;
    }
}
