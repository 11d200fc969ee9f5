using System.Collections.Concurrent;
using System.Net;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace MailAccounts.Infrastructure.Rendering;

/// <summary>HTML that the application built itself and vouches for; the renderer writes it as it is.</summary>
public sealed record TrustedHtml(string Value);

/// <summary>
/// Renders the <c>.scriban</c> templates. Scriban itself never escapes, so this renderer HTML-encodes every
/// value a template writes (only <see cref="TrustedHtml"/> passes unchanged), parses each template once,
/// and gives every render a fresh, limited context.
/// </summary>
public sealed class TemplateRenderer(string templatesFolder)
{
    private readonly ConcurrentDictionary<string, Template> _templates = new(StringComparer.Ordinal);

    public string Render(string name, object model)
    {
        var template = _templates.GetOrAdd(name, Parse);
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        var context = new HtmlEscapingContext
        {
            StrictVariables = true,
            LoopLimit = 10_000,
            RecursiveLimit = 20,
            EnableRelaxedMemberAccess = false,
            MemberRenamer = StandardMemberRenamer.Default,
        };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    private Template Parse(string name)
    {
        if (name.IndexOfAny(['/', '\\', '.']) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a template name.", nameof(name));
        }

        var path = Path.Combine(templatesFolder, name + ".scriban");
        var template = Template.Parse(File.ReadAllText(path), path);
        if (template.HasErrors)
        {
            throw new InvalidOperationException($"The template {path} does not parse: {string.Join("; ", template.Messages)}");
        }

        return template;
    }
}

/// <summary>A Scriban context that HTML-encodes every value a template writes; only <see cref="TrustedHtml"/> passes as it is.</summary>
internal sealed class HtmlEscapingContext : TemplateContext
{
    public HtmlEscapingContext()
    {
    }

    public HtmlEscapingContext(ScriptObject builtins)
        : base(builtins)
    {
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) =>
        base.Write(span, Encode(textAsObject));

    public override ValueTask<TemplateContext> WriteAsync(SourceSpan span, object? textAsObject) =>
        base.WriteAsync(span, Encode(textAsObject));

    private object Encode(object? value) => value switch
    {
        null => "",
        TrustedHtml html => html.Value,
        _ => WebUtility.HtmlEncode(ObjectToString(value) ?? ""),
    };
}
