using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MailAccounts.Infrastructure.Rendering;

/// <summary>
/// HTML as a person reads it in a plain-text mail: the one conversion behind the plain-text alternative of a sent
/// mail, the switch to the plain-text editor, quoting an HTML original in plain text, and a signature's plain text.
/// </summary>
public static partial class ReadableText
{
    private static readonly HtmlParser Parser = new();

    // A space that tidying leaves alone, for a preformatted block's indentation (text elsewhere has its white space collapsed).
    private const char Kept = '\u00A0';

    /// <summary>
    /// Paragraphs and line breaks as new lines (one empty line at most in a row), preformatted text as it is written,
    /// quotations with "&gt; ", and links as
    /// "text &lt;address&gt;" unless the text already is the address (a mailto: or tel: link showing its own address
    /// or number keeps just the text).
    /// </summary>
    public static string FromHtml(string html)
    {
        var document = Parser.ParseDocument($"<body>{html}</body>");
        var text = new StringBuilder();
        Write(document.Body!, text);
        // The signature follows its "-- " line directly, although the block it starts with is a paragraph of its own.
        return Tidy(text.ToString()).Replace(SignatureSeparator + "\n\n", SignatureSeparator + "\n", StringComparison.Ordinal).Replace(Kept, ' ');
    }

    private const string SignatureSeparator = "--\u00A0";

    /// <summary>Every line with "&gt; " in front, or a further "&gt;" where it is quoted already, as mail programs nest quotations.</summary>
    public static string Quote(string text) =>
        string.Join("\n", text.Split('\n').Select(l => l.StartsWith('>') ? ">" + l : "> " + l));

    private static void Write(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t when IsSignatureSeparator(t):
                    // The signature separator keeps its space (RFC 3676: "-- "), which tidying would take from a line's end.
                    text.Append(SignatureSeparator);
                    break;
                case IText t:
                    text.Append(Whitespace().Replace(t.Data, " "));
                    break;
                case IElement { LocalName: "br" }:
                    text.Append('\n');
                    break;
                case IElement { LocalName: "blockquote" } quote:
                    var inner = new StringBuilder();
                    Write(quote, inner);
                    text.Append('\n').Append(Quote(Tidy(inner.ToString()))).Append('\n');
                    break;
                case IElement { LocalName: "a" } link when link.GetAttribute("href") is { } href && !ShowsItsAddress(link.TextContent.Trim(), href):
                    Write(link, text);
                    text.Append(" <").Append(href).Append('>');
                    break;
                case IElement { LocalName: "script" or "style" or "head" or "title" }:
                    break;
                case IElement { LocalName: "pre" } preformatted:
                    // Code, tables drawn in text, poems: their lines and indentation are what they say.
                    text.Append('\n').Append(preformatted.TextContent.Replace(' ', Kept)).Append('\n');
                    break;
                case IElement element when IsBlock(element.LocalName):
                    text.Append('\n');
                    Write(element, text);
                    text.Append('\n');
                    break;
                case IElement element:
                    Write(element, text);
                    break;
            }
        }
    }

    /// <summary>The "-- " that opens a signature block (<c>div.signature</c>).</summary>
    /// <remarks>The editor may have put the line in a paragraph of its own inside the block: the first words of the block count.</remarks>
    private static bool IsSignatureSeparator(IText text) =>
        text.Data.Trim() == "--" && text.ParentElement?.Closest(".signature") is { } signature && FirstWords(signature) == text;

    private static IText? FirstWords(INode node)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText t && t.Data.Trim().Length > 0)
            {
                return t;
            }

            if (child is IElement && FirstWords(child) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static bool ShowsItsAddress(string text, string href) =>
        href == text
        || (href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && string.Equals(href["mailto:".Length..], text, StringComparison.OrdinalIgnoreCase))
        || (href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) && href["tel:".Length..] == text);

    private static bool IsBlock(string name) => name is "p" or "div" or "li" or "tr" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "table" or "ul" or "ol" or "hr";

    /// <summary>Spaces at line ends dropped, no more than one empty line in a row, none at the start or end.</summary>
    private static string Tidy(string text)
    {
        var result = new List<string>();
        foreach (var line in text.Split('\n').Select(l => l.Trim(' ')))
        {
            if (line.Length == 0 && (result.Count == 0 || result[^1].Length == 0))
            {
                continue;
            }

            result.Add(line);
        }

        return string.Join("\n", result).Trim('\n');
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
