using System.Globalization;
using MailKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>
/// Previous and next for the letter page: the order the list shows (its sort, either way, and its threads), computed
/// by the same code as the list, so that they step through the rows the person just saw.
/// </summary>
internal sealed partial class ImapMailbox
{
    public async Task<Neighbours> NeighboursAsync(string folderName, string id, ListOrder order, int pageSize, CancellationToken cancellationToken)
    {
        if (!uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number == 0)
        {
            return Neighbours.None;
        }

        var folder = await OpenForReadingAsync(folderName, cancellationToken);
        // The list's own ordering: by date a kept connection confirms its remembered order with one ESEARCH; another
        // column is one SORT, as the list page asked.
        var (uids, applied) = await OrderedUidsAsync(folder, order, cancellationToken);
        var index = uids.IndexOf(new UniqueId(number));
        if (index < 0)
        {
            return Neighbours.None;
        }

        string Name(UniqueId uid) => uid.Id.ToString(CultureInfo.InvariantCulture);
        if (!applied.Threaded)
        {
            return new Neighbours(index > 0 ? Name(uids[index - 1]) : null, index + 1 < uids.Count ? Name(uids[index + 1]) : null);
        }

        // The thread view arranges each page on its own: the rows around the message are those of its page as arranged,
        // and past the page's edge the next (or previous) page's first (or last) row.
        pageSize = Math.Max(1, pageSize);
        var page = index / pageSize;
        var shown = await ArrangedPageAsync(folder, uids, page, pageSize, cancellationToken);
        var at = shown.IndexOf(Name(new UniqueId(number)));
        if (at < 0)
        {
            return Neighbours.None;
        }

        var newer = at > 0 ? shown[at - 1]
            : page > 0 ? (await ArrangedPageAsync(folder, uids, page - 1, pageSize, cancellationToken)).LastOrDefault() : null;
        var older = at + 1 < shown.Count ? shown[at + 1]
            : (page + 1) * pageSize < uids.Count ? (await ArrangedPageAsync(folder, uids, page + 1, pageSize, cancellationToken)).FirstOrDefault() : null;
        return new Neighbours(newer, older);
    }

    /// <summary>One page's UIDs as the thread view lists them: its rows (kept from the list's fetch where the cache has them) arranged in threads.</summary>
    private async Task<List<string>> ArrangedPageAsync(IMailFolder folder, IList<UniqueId> uids, int page, int pageSize, CancellationToken cancellationToken)
    {
        var slice = uids.Skip(page * pageSize).Take(pageSize).ToList();
        var rows = await RowsAsync(folder, slice, cancellationToken);
        MessageRow[] ordered = [.. slice.Where(uid => rows.ContainsKey(uid.Id)).Select(uid => rows[uid.Id])];
        return [.. (await ThreadedAsync(folder, ordered, cancellationToken)).Select(r => r.Id)];
    }
}
