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
    /// <param name="fallbackCharset">
    /// How to read text whose charset was never declared and which is not valid UTF-8: old Russian mail programs
    /// sent windows-1251 or KOI8-R without saying so.
    /// </param>
    public static MessageBody Render(MimeMessage message, bool showRemoteContent, string fallbackCharset = "windows-1251")
    {
        var attachments = message.Attachments.Select((a, i) => new AttachmentInfo(
            i,
            a is MimePart part ? part.FileName ?? "attachment" : (a as MessagePart)?.Message?.Subject ?? "message.eml",
            a.ContentType.MimeType,
            a is MimePart { Content: not null } sized ? EstimateSize(sized) : 0)).ToArray();

        if (BodyPart(message, "html") is { } htmlPart && Read(htmlPart, fallbackCharset) is { } html)
        {
            var blocked = false;
            var sanitizer = CreateSanitizer();
            sanitizer.FilterUrl += (_, e) =>
            {
                // Links stay; anything a browser would fetch by itself (images, backgrounds, CSS) waits for "Show images".
                if (e.SanitizedUrl is not { } url || e.Tag?.LocalName is "a" or "area" || url.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                // It must name its server plainly. A relative address would be fetched from this product; browsers read
                // "//host", "https:host" and backslashes as remote addresses that Uri does not, so they passed unseen.
                if (!RemoteAddress().IsMatch(url.Trim()))
                {
                    e.SanitizedUrl = null;
                }
                else if (!showRemoteContent)
                {
                    e.SanitizedUrl = null;
                    blocked = true;
                }
            };
            return new MessageBody(sanitizer.Sanitize(html), blocked, attachments);
        }

        var text = BodyPart(message, "plain") is { } textPart ? Read(textPart, fallbackCharset) : "";
        return new MessageBody(Linkify(text), false, attachments);
    }

    /// <summary>The message as plain text, for quoting: its text part, or its HTML part read as text.</summary>
    public static string PlainText(MimeMessage message, string fallbackCharset, Func<string, string> htmlToText)
    {
        if (BodyPart(message, "plain") is { } textPart)
        {
            return Read(textPart, fallbackCharset);
        }

        return BodyPart(message, "html") is { } htmlPart ? htmlToText(Read(htmlPart, fallbackCharset)) : "";
    }

    private static TextPart? BodyPart(MimeMessage message, string subtype) =>
        message.BodyParts.OfType<TextPart>().FirstOrDefault(p => !p.IsAttachment && p.ContentType.IsMimeType("text", subtype));

    /// <summary>The part's text: by its declared charset, or as UTF-8 when it is valid UTF-8, or in the fallback charset.</summary>
    public static string Read(TextPart part, string fallbackCharset)
    {
        if (part.ContentType.Charset is not null || part.Content is null)
        {
            return part.Text;
        }

        using var bytes = new MemoryStream();
        part.Content.DecodeTo(bytes);
        return Decode(bytes.ToArray(), fallbackCharset);
    }

    /// <summary>Text that declared no charset: UTF-8 when it is valid UTF-8, otherwise the fallback charset (the list's preview reads so too).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string fallbackCharset)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return System.Text.Encoding.GetEncoding(fallbackCharset).GetString(bytes);
        }
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
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "textarea", "option", "optgroup", "datalist", "keygen", "output",
            "iframe", "frame", "object", "embed",
            "svg", "math", "base", "meta", "link", "style", "audio", "video", "source", "track", "picture"]);
        // The mail may not choose how its links open: rel="opener" would hand the new tab a window.opener through which
        // it could send this product's tab to a look-alike sign-in page, and a target could name a frame of ours.
        sanitizer.AllowedAttributes.ExceptWith(["srcset", "formaction", "action", "background", "ping", "rel", "target"]);
        sanitizer.AllowedAtRules.Clear();
        sanitizer.PostProcessNode += (_, e) =>
        {
            // Every link opens in a new tab (the frame's <base target="_blank">) with no opener and no referrer.
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" or "area" } link)
            {
                link.SetAttribute("rel", "noopener noreferrer");
            }
        };
        return sanitizer;
    }

    [GeneratedRegex(@"\b(?:https?://|mailto:)[^\s<>&""']+", RegexOptions.IgnoreCase)]
    private static partial Regex Links();

    /// <summary>An absolute http(s) address whose host a browser reads just as we do: no backslash, no white space.</summary>
    [GeneratedRegex(@"^https?://[^\s\\/?#]+(?:[/?#][^\s\\]*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex RemoteAddress();
}
