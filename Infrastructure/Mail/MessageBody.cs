using System.Net;
using System.Text.RegularExpressions;
using Ganss.Xss;
using MimeKit;

namespace MailAccounts.Infrastructure.Mail;

public sealed record AttachmentInfo(int Index, string FileName, string MediaType, long Size);

/// <summary>What a message view shows: safe HTML for a sandboxed frame, and whether remote content was held back.</summary>
public sealed record MessageBody(string Html, bool RemoteContentBlocked, IReadOnlyList<AttachmentInfo> Attachments);

/// <summary>
/// Turns a received message into something a browser may show. HTML is sanitised (no scripts, event handlers,
/// forms, SVG or MathML, no javascript: or data: links) and remote resources are removed until the user asks for
/// them; plain text is encoded and its links made clickable. The result is shown in a sandboxed frame besides.
/// </summary>
public static partial class MessageBodies
{
    public static MessageBody Render(MimeMessage message, bool showRemoteContent)
    {
        var attachments = message.Attachments.Select((a, i) => new AttachmentInfo(
            i,
            a is MimePart part ? part.FileName ?? "attachment" : (a as MessagePart)?.Message?.Subject ?? "message.eml",
            a.ContentType.MimeType,
            a is MimePart { Content: not null } sized ? EstimateSize(sized) : 0)).ToArray();

        if (message.HtmlBody is { } html)
        {
            var blocked = false;
            var sanitizer = CreateSanitizer();
            sanitizer.FilterUrl += (_, e) =>
            {
                // Links stay; anything a browser would fetch by itself (images, backgrounds, CSS) waits for "Show images".
                var isLink = e.Tag?.LocalName is "a" or "area";
                if (!isLink && !showRemoteContent && Uri.TryCreate(e.OriginalUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
                {
                    e.SanitizedUrl = null;
                    blocked = true;
                }
            };
            return new MessageBody(sanitizer.Sanitize(html), blocked, attachments);
        }

        return new MessageBody(Linkify(message.TextBody ?? ""), false, attachments);
    }

    /// <summary>Plain text, HTML-encoded, line breaks kept, http(s) and mailto links made clickable.</summary>
    public static string Linkify(string text)
    {
        var encoded = WebUtility.HtmlEncode(text);
        var linked = Links().Replace(encoded, m => $"<a href=\"{m.Value}\" target=\"_blank\" rel=\"noopener noreferrer\">{m.Value}</a>");
        return $"<pre class=\"plain\">{linked}</pre>";
    }

    private static long EstimateSize(MimePart part)
    {
        using var measure = new MimeKit.IO.MeasuringStream();
        part.Content!.DecodeTo(measure);
        return measure.Length;
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto", "cid"]);
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "textarea", "option", "iframe", "frame", "object", "embed",
            "svg", "math", "base", "meta", "link", "style", "audio", "video", "source", "track", "picture"]);
        sanitizer.AllowedAttributes.ExceptWith(["srcset", "formaction", "action", "background", "ping"]);
        sanitizer.AllowedAtRules.Clear();
        return sanitizer;
    }

    [GeneratedRegex(@"\b(?:https?://|mailto:)[^\s<>&""']+", RegexOptions.IgnoreCase)]
    private static partial Regex Links();
}
