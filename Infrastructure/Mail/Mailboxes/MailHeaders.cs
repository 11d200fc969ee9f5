using MimeKit;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>The sender and subject a list row shows, read from the raw header bytes the same way for IMAP and POP3.</summary>
internal static class MailHeaders
{
    /// <summary>The sender as a list shows it: the name, or the address where there is none.</summary>
    public static string SenderOf(InternetAddressList? from) =>
        from?.Mailboxes.FirstOrDefault() is { } sender ? (string.IsNullOrEmpty(sender.Name) ? sender.Address : sender.Name) : "";

    /// <summary>The From header parsed from its raw bytes, so that encoded words decode only after the structure is known.</summary>
    public static InternetAddressList? From(HeaderList? headers, ParserOptions parsing) =>
        headers?.FirstOrDefault(h => h.Id == HeaderId.From) is { } header && InternetAddressList.TryParse(parsing, header.RawValue, out var list)
        && list.Mailboxes.Any()
            ? list
            : null;

    public static string? Subject(HeaderList? headers, ParserOptions parsing) =>
        headers?.FirstOrDefault(h => h.Id == HeaderId.Subject) is { } header ? Header.Unfold(MimeKit.Utils.Rfc2047.DecodeText(parsing, header.RawValue)).Trim() : null;
}
