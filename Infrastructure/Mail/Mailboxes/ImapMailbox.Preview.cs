using System.Text.RegularExpressions;
using MailKit;
using MailAccounts.Infrastructure.Rendering;
using MimeKit;
using MimeKit.Utils;

namespace MailAccounts.Infrastructure.Mail.Mailboxes;

/// <summary>The preview line of the message list, read with the same charset rule as the body.</summary>
internal sealed partial class ImapMailbox
{
    /// <summary>The preview is this long at most, as the server's PREVIEW (RFC 8970) is.</summary>
    private const int PreviewLength = 200;

    /// <summary>Enough of the text to fill a preview, however it is encoded.</summary>
    private const int PreviewBytes = 8192;

    /// <summary>
    /// The server's preview, unless the text part declares no charset and is not plain ASCII: the server then reads
    /// windows-1251 as UTF-8 and the row said "� � �". Such a part's first bytes are fetched (BODY.PEEK) and read as
    /// the body is (<see cref="MessageBodies.Decode"/>: UTF-8 where valid, otherwise the fallback charset).
    /// </summary>
    private async Task<string> PreviewAsync(IMailFolder folder, IMessageSummary summary, CancellationToken cancellationToken)
    {
        var server = summary.PreviewText ?? "";
        var part = summary.TextBody ?? summary.HtmlBody;
        // The server reports a part that declared no charset as us-ascii (RFC 3501's default), so both read alike here.
        var undeclared = part?.ContentType.Charset is null || part.ContentType.Charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase);
        var sevenBit = part?.ContentTransferEncoding is null || part.ContentTransferEncoding.Equals("7bit", StringComparison.OrdinalIgnoreCase);
        if (part is null || !undeclared || (sevenBit && !server.Contains('\uFFFD')))
        {
            return server;
        }

        MimeUtils.TryParse(part.ContentTransferEncoding, out ContentEncoding encoding);
        var section = part.PartSpecifier is { Length: > 0 } specifier ? specifier : "1";
        using var raw = new MemoryStream();
        using (var stream = await folder.GetStreamAsync(summary.UniqueId, section, 0, PreviewBytes, cancellationToken))
        {
            await stream.CopyToAsync(raw, cancellationToken);
        }

        var truncated = raw.Length >= PreviewBytes;
        raw.Position = 0;
        using var decoded = new MemoryStream();
        new MimeContent(raw, encoding).DecodeTo(decoded);
        var bytes = decoded.ToArray().AsSpan();
        // A cut through a letter: its first bytes alone would make valid UTF-8 look invalid.
        while (truncated && bytes.Length > 0 && bytes[^1] >= 0x80)
        {
            bytes = bytes[..^1];
        }

        var text = MessageBodies.Decode(bytes, parsing.CharsetEncoding.WebName);
        if (part == summary.HtmlBody && summary.TextBody is null)
        {
            text = ReadableText.FromHtml(text);
        }

        var line = Spaces().Replace(text, " ").Trim();
        return line.Length <= PreviewLength ? line : line[..PreviewLength];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
