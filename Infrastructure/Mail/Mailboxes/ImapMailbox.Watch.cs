using MailKit;
using MailKit.Net.Imap;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>Watching a folder while the client shows it: IMAP IDLE, or asking now and then where the server has no IDLE.</summary>
internal sealed partial class ImapMailbox
{
    public async Task WatchAsync(string folderName, Action<FolderChange> changed, TimeSpan renewIdle, TimeSpan poll, CancellationToken stop)
    {
        var folder = folderName.Equals("INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(folderName, stop);
        await folder.OpenAsync(FolderAccess.ReadOnly, stop);
        var count = folder.Count;
        // MailKit raises these while it reads the server's untagged answers, inside IDLE or NOOP.
        folder.CountChanged += (_, _) =>
        {
            var now = folder.Count;
            var arrived = now > count;
            count = now;
            changed(arrived ? FolderChange.NewMessages : FolderChange.CountsChanged);
        };
        folder.MessageFlagsChanged += (_, _) => changed(FolderChange.CountsChanged);
        folder.MessagesVanished += (_, _) => changed(FolderChange.CountsChanged);

        changed(FolderChange.Watching);
        while (!stop.IsCancellationRequested)
        {
            if (client.Capabilities.HasFlag(ImapCapabilities.Idle))
            {
                // The done token ends IDLE politely (DONE): at the renewal (RFC 2177: before the server's 29 minutes) or
                // when the last watcher leaves. Cancelling the command itself would drop the connection.
                using var done = CancellationTokenSource.CreateLinkedTokenSource(stop);
                done.CancelAfter(renewIdle);
                await client.IdleAsync(done.Token, CancellationToken.None);
            }
            else
            {
                await Task.Delay(poll, stop);
                await client.NoOpAsync(stop);
            }
        }
    }
}
