namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>
/// What the message list already fetched of each message (sender, subject, date, size, attachment mark, preview), kept
/// in memory per account and folder so that a page after new mail fetches only the new messages in full and asks the
/// rest for their flags alone. Rows are valid for the folder's UIDVALIDITY only: the server never gives a UID to
/// another message while it keeps that value, and a folder seen with another value starts empty. Bounded twice: the
/// folders least recently listed go first, and a folder keeps its newest rows up to a cap.
/// </summary>
public sealed class ListingCache(int folders = 64, int rowsPerFolder = 10_000)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<(object Key, CachedFolder Folder)> _recent = new();
    private readonly Dictionary<object, LinkedListNode<(object Key, CachedFolder Folder)>> _byKey = [];

    /// <summary>The folders kept now (for the specs and the benchmark).</summary>
    public int FolderCount
    {
        get
        {
            lock (_gate)
            {
                return _recent.Count;
            }
        }
    }

    /// <summary>The rows kept for one account's folder, empty when none are kept or they were kept under another UIDVALIDITY.</summary>
    internal CachedFolder Folder(object account, string folder, uint uidValidity)
    {
        var key = (account, folder);
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
                if (node.Value.Folder.UidValidity != uidValidity)
                {
                    node.Value = (key, new CachedFolder(uidValidity, rowsPerFolder));
                }

                _recent.AddFirst(node);
                return node.Value.Folder;
            }

            node = _recent.AddFirst((key, new CachedFolder(uidValidity, rowsPerFolder)));
            _byKey[key] = node;
            while (_recent.Count > folders)
            {
                _byKey.Remove(_recent.Last!.Value.Key);
                _recent.RemoveLast();
            }

            return node.Value.Folder;
        }
    }
}

/// <summary>
/// A row as a page showed it, and the message's mod-sequence when it was fetched (0 without CONDSTORE): any later
/// change of its flags gets a higher one, so "changed since the lowest of the page" finds every row that is stale.
/// </summary>
internal sealed record CachedRow(uint Uid, MessageRow Row, ulong ModSeq);

/// <summary>The kept rows of one folder under one UIDVALIDITY; shared by the requests of an account, so locked.</summary>
internal sealed class CachedFolder(uint uidValidity, int capacity)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<uint, CachedRow> _rows = [];

    public uint UidValidity => uidValidity;

    public Dictionary<uint, CachedRow> Find(IEnumerable<uint> uids)
    {
        lock (_gate)
        {
            return uids.Where(_rows.ContainsKey).ToDictionary(uid => uid, uid => _rows[uid]);
        }
    }

    public void Keep(IEnumerable<CachedRow> rows)
    {
        lock (_gate)
        {
            foreach (var row in rows)
            {
                _rows[row.Uid] = row;
            }

            // The oldest messages go first: the newest are the pages people open.
            while (_rows.Count > capacity)
            {
                _rows.Remove(_rows.First().Key);
            }
        }
    }

    public void Forget(IEnumerable<uint> uids)
    {
        lock (_gate)
        {
            foreach (var uid in uids)
            {
                _rows.Remove(uid);
            }
        }
    }
}
