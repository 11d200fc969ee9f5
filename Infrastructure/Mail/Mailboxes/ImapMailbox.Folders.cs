using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>The folders: their list with status, counts, and filing sent mail.</summary>
internal sealed partial class ImapMailbox
{
    public async Task<IReadOnlyList<FolderView>> FoldersAsync(IReadOnlyCollection<string> visible, CancellationToken cancellationToken)
    {
        var all = client.PersonalNamespaces.Count > 0
            ? await client.GetFoldersAsync(client.PersonalNamespaces[0], StatusItems.Unread | StatusItems.Count, false, cancellationToken)
            : [client.Inbox];
        return InListOrder(all.Where(f => !f.Attributes.HasFlag(FolderAttributes.NoSelect)))
            .Where(f => visible.Count == 0 || visible.Contains(f.FullName))
            .Select(f => new FolderView(f.FullName, f.Name, Depth(f), f.Unread, f.Count, SpecialUse(f.Attributes)))
            .ToArray();
    }

    public async Task<IReadOnlyList<ServerFolder>> ServerFoldersAsync(CancellationToken cancellationToken)
    {
        var folders = new List<IMailFolder>();
        foreach (var ns in client.PersonalNamespaces)
        {
            folders.AddRange(await client.GetFoldersAsync(ns, subscribedOnly: false, cancellationToken));
        }

        if (!folders.Any(f => f.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase)))
        {
            folders.Insert(0, client.Inbox);
        }

        return InListOrder(folders)
            .Select(f => new ServerFolder(f.FullName, f.Name, Depth(f), !f.Attributes.HasFlag(FolderAttributes.NoSelect), SpecialUse(f.Attributes)))
            .ToArray();
    }

    public async Task<IReadOnlyList<FolderCount>> CountAsync(IReadOnlyCollection<string> folders, CancellationToken cancellationToken)
    {
        var counts = new List<FolderCount>();
        foreach (var name in folders)
        {
            var folder = name.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(name, cancellationToken);
            await SyncIfSelectedAsync(folder, cancellationToken);
            await folder.StatusAsync(StatusItems.Unread | StatusItems.Count, cancellationToken);
            counts.Add(new FolderCount(name, folder.Unread, folder.Count));
        }

        return counts;
    }

    public async Task<string?> FileSentCopyAsync(string? folderName, MimeMessage message, CancellationToken cancellationToken)
    {
        var sent = folderName is { Length: > 0 }
            ? await client.GetFolderAsync(folderName, cancellationToken)
            : client.Capabilities.HasFlag(ImapCapabilities.SpecialUse) ? client.GetFolder(SpecialFolder.Sent) : null;
        if (sent is null)
        {
            return "no Sent folder";
        }

        var filed = 0;
        if (message.MessageId is { Length: > 0 } messageId)
        {
            await sent.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            filed = (await sent.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId), cancellationToken)).Count;
            await sent.CloseAsync(false, cancellationToken);
        }

        if (filed == 0)
        {
            await sent.AppendAsync(new AppendRequest(message, MessageFlags.Seen), cancellationToken);
        }

        return null;
    }

    /// <summary>Folders that exist, the inbox first, then by name: the one order every folder list shows.</summary>
    private static IEnumerable<IMailFolder> InListOrder(IEnumerable<IMailFolder> folders) => folders
        .Where(f => !f.Attributes.HasFlag(FolderAttributes.NonExistent))
        .OrderBy(f => f.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
        .ThenBy(f => f.FullName, StringComparer.OrdinalIgnoreCase);

    private static int Depth(IMailFolder folder) =>
        folder.DirectorySeparator == '\0' ? 0 : folder.FullName.Count(c => c == folder.DirectorySeparator);

    private static string? SpecialUse(FolderAttributes attributes) =>
        new[] { FolderAttributes.Sent, FolderAttributes.Trash, FolderAttributes.Drafts, FolderAttributes.Junk, FolderAttributes.Archive, FolderAttributes.All, FolderAttributes.Flagged }
            .Where(a => attributes.HasFlag(a))
            .Select(a => a.ToString())
            .FirstOrDefault();
}
