using System.Collections;
using System.Globalization;
using System.Reflection;
using MailAccounts.Domain.Search;
using MailAccounts.Infrastructure.Search;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>Search: one UID SEARCH per folder (ESEARCH when offered), then the page's UIDs alone fetched as the list fetches them.</summary>
internal sealed partial class ImapMailbox
{
    public async Task<IReadOnlyList<string>> SearchFoldersAsync(string? under, IReadOnlyCollection<string> visible, CancellationToken cancellationToken)
    {
        var all = new List<IMailFolder>();
        foreach (var ns in client.PersonalNamespaces)
        {
            all.AddRange(await client.GetFoldersAsync(ns, subscribedOnly: false, cancellationToken));
        }

        if (!all.Any(f => f.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase)))
        {
            all.Insert(0, client.Inbox);
        }

        var selectable = InListOrder(all).Where(f => !f.Attributes.HasFlag(FolderAttributes.NoSelect) && !f.Attributes.HasFlag(FolderAttributes.NonExistent));
        return under is null
            ? [.. selectable.Where(f => visible.Count == 0 || visible.Contains(f.FullName)).Select(f => f.FullName)]
            : [.. selectable.Where(f => f.FullName == under || (f.DirectorySeparator != '\0' && f.FullName.StartsWith(under + f.DirectorySeparator, StringComparison.Ordinal)))
                .Select(f => f.FullName)];
    }

    public async Task<SearchHits> SearchAsync(string folderName, MailCriteria criteria, int newest, bool dated, CancellationToken cancellationToken)
    {
        var nonAscii = criteria.Text.SelectMany(c => c).FirstOrDefault(t => t.Text.Any(ch => ch > 127));
        // MailKit would send text the server's charsets cannot carry as bytes forced to ASCII, finding other mail than
        // asked: refuse before, and after a search in which the server refused UTF-8 (BADCHARSET), whose answer is void.
        if (nonAscii is not null && !ImapCharsets.Utf8Accepted(client))
        {
            throw new SearchRefusedException(SearchRefusedException.CharsetUnsupported, nonAscii.Text);
        }

        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        if (!folder.IsOpen)
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        }

        var query = ImapCriteria.ToSearchQuery(criteria);
        IList<UniqueId> found = client.Capabilities.HasFlag(ImapCapabilities.ESearch)
            ? (await folder.SearchAsync(SearchOptions.All, query, cancellationToken)).UniqueIds
            : await folder.SearchAsync(query, cancellationToken);
        if (nonAscii is not null && !ImapCharsets.Utf8Accepted(client))
        {
            throw new SearchRefusedException(SearchRefusedException.CharsetUnsupported, nonAscii.Text);
        }

        // UIDs grow with arrival: the highest are the newest, as the folder list orders them.
        var top = found.Select(u => u.Id).OrderDescending().Take(Math.Max(0, newest)).ToList();
        if (!dated || top.Count == 0)
        {
            return new SearchHits(found.Count, [.. top.Select(u => new SearchHit(u.ToString(CultureInfo.InvariantCulture), DateTimeOffset.MinValue))], folder.UidValidity);
        }

        var dates = (await folder.FetchAsync([.. top.Select(u => new UniqueId(u))], MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate, cancellationToken))
            .ToDictionary(s => s.UniqueId.Id, s => s.InternalDate ?? DateTimeOffset.MinValue);
        return new SearchHits(found.Count,
            [.. top.Where(dates.ContainsKey).Select(u => new SearchHit(u.ToString(CultureInfo.InvariantCulture), dates[u]))], folder.UidValidity);
    }

    public async Task<IReadOnlyList<MessageRow>> SearchRowsAsync(string folderName, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var uids = ids.Select(id => uint.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var u) ? u : 0).Where(u => u != 0)
            .Select(u => new UniqueId(u)).ToList();
        if (uids.Count == 0)
        {
            return [];
        }

        var folder = await client.GetFolderAsync(folderName, cancellationToken);
        if (!folder.IsOpen)
        {
            await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        }

        var rows = await RowsAsync(folder, uids, cancellationToken);
        return [.. uids.Where(u => rows.ContainsKey(u.Id)).Select(u => rows[u.Id])];
    }
}

/// <summary>
/// Whether a connection may send non-ASCII search text as UTF-8. MailKit keeps the charsets a server accepts (UTF-8 and
/// US-ASCII, RFC 3501's must, until a BADCHARSET answer names others) on its engine and does not expose them, and forces
/// text to ASCII when UTF-8 is not among them; read here so that the search can refuse instead.
/// </summary>
internal static class ImapCharsets
{
    private static readonly FieldInfo? Engine = typeof(ImapClient).GetField("engine", BindingFlags.NonPublic | BindingFlags.Instance);

    public static bool Utf8Accepted(ImapClient client)
    {
        var engine = Engine?.GetValue(client);
        if (engine?.GetType().GetProperty("SupportedCharsets")?.GetValue(engine) is not IEnumerable charsets)
        {
            // A MailKit that keeps them elsewhere: UTF-8 is mandatory for SEARCH (RFC 3501 6.4.4).
            return true;
        }

        var names = charsets.Cast<object>().Select(c => c.ToString()).ToList();
        return names.Count == 0 || names.Any(n => string.Equals(n, "UTF-8", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What a server that answered BADCHARSET (US-ASCII) leaves: for the spec that proves the refusal.</summary>
    public static void ForgetUtf8(ImapClient client)
    {
        var engine = Engine?.GetValue(client);
        if (engine?.GetType().GetProperty("SupportedCharsets")?.GetValue(engine) is ICollection<string> charsets)
        {
            charsets.Remove("UTF-8");
            charsets.Remove("utf-8");
            if (charsets.Count == 0)
            {
                charsets.Add("US-ASCII");
            }
        }
    }
}
