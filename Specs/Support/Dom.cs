using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace MailAccounts.Specs.Support;

/// <summary>
/// A page parsed as a browser parses it. Specs find things by stable hooks (ids, <c>data-*</c> attributes, roles and form
/// field names) rather than by English wording or the shape of the markup, so that rewording or restyling a page does not
/// break a behaviour spec.
/// </summary>
public sealed class Dom
{
    private static readonly HtmlParser Parser = new();
    private readonly IHtmlDocument _document;

    private Dom(IHtmlDocument document) => _document = document;

    public static Dom Parse(string html) => new(Parser.ParseDocument(html));

    public IElement? Find(string selector) => _document.QuerySelector(selector);

    /// <summary>The one element the selector names; a spec that expects it fails saying which hook is missing.</summary>
    public IElement One(string selector)
    {
        var found = _document.QuerySelectorAll(selector);
        return found.Length switch
        {
            1 => found[0],
            0 => throw new ShouldAssertException($"The page has no element matching {selector}."),
            _ => throw new ShouldAssertException($"The page has {found.Length} elements matching {selector}, not one."),
        };
    }

    public IReadOnlyList<IElement> All(string selector) => _document.QuerySelectorAll(selector).ToArray();

    public bool Has(string selector) => _document.QuerySelector(selector) is not null;

    /// <summary>The text a reader sees in the one element the selector names, its white space collapsed.</summary>
    public string Text(string selector) => Collapse(One(selector).TextContent);

    /// <summary>The seen text of every element the selector names, in page order.</summary>
    public IReadOnlyList<string> Texts(string selector) => All(selector).Select(e => Collapse(e.TextContent)).ToArray();

    /// <summary>The element marked <c>data-hook="name"</c>.</summary>
    public IElement Hook(string name) => One($"[data-hook=\"{name}\"]");

    public bool HasHook(string name) => Has($"[data-hook=\"{name}\"]");

    /// <summary>The value a browser would submit for the control with this name (the first one, if several share it).</summary>
    public string? Field(string name) => _document.QuerySelector($"[name=\"{name}\"]") switch
    {
        IHtmlInputElement { Type: "checkbox" or "radio" } box => box.IsChecked ? box.Value : null,
        IHtmlInputElement input => input.Value,
        IHtmlTextAreaElement area => area.Value,
        IHtmlSelectElement select => select.Value,
        null => null,
        var other => other.GetAttribute("value"),
    };

    /// <summary>The whole page's seen text, for the few specs whose behaviour is the wording itself.</summary>
    public string Body => Collapse(_document.Body?.TextContent ?? "");

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
