using MailKit;
using MailKit.Net.Imap;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>
/// A mailbox's quota as its server states it (IMAP QUOTA, RFC 9208): the storage used and allowed in bytes (the server
/// counts in KiB), and the messages counted and allowed, each null where the quota root has no such limit.
/// </summary>
public sealed record MailboxQuota(string Root, long? UsedBytes, long? LimitBytes, long? Messages, long? MessageLimit)
{
    /// <summary>How full the mailbox is, 0 to 1 (or more): by whichever of its limits is nearer.</summary>
    public double Fullness => Math.Max(
        LimitBytes is > 0 && UsedBytes is { } used ? (double)used / LimitBytes.Value : 0,
        MessageLimit is > 0 && Messages is { } count ? (double)count / MessageLimit.Value : 0);
}

/// <summary>The quota of the inbox's quota root, for the line under the client's folder list.</summary>
internal sealed partial class ImapMailbox
{
    public async Task<MailboxQuota?> QuotaAsync(CancellationToken cancellationToken)
    {
        // Asking a server without QUOTA would only earn a BAD; most servers that lack it say so in CAPABILITY.
        if (!client.Capabilities.HasFlag(ImapCapabilities.Quota))
        {
            return null;
        }

        FolderQuota quota;
        try
        {
            // GETQUOTAROOT INBOX: the folder need not be selected, so whatever folder the page opened stays open.
            quota = await client.Inbox.GetQuotaAsync(cancellationToken);
        }
        catch (ImapCommandException)
        {
            // NO (no quota root for the inbox, or quotas off for this user): there is nothing to show, and the
            // connection is as good as before.
            return null;
        }

        static long? Kilobytes(uint? value) => value is { } kib ? kib * 1024L : null;
        if (quota.StorageLimit is null && quota.MessageLimit is null)
        {
            return null;
        }

        return new MailboxQuota(
            quota.QuotaRoot?.FullName ?? "", Kilobytes(quota.CurrentStorageSize), Kilobytes(quota.StorageLimit),
            quota.CurrentMessageCount, quota.MessageLimit);
    }
}
