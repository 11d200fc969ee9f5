using Ganss.Xss;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace MailAccounts.Infrastructure.Rendering;

/// <summary>The values a signature may use, and nothing else.</summary>
public sealed record SignatureValues(string UserName, string UserLogin, string AccountTitle, string AccountName, string AccountAddress, DateTimeOffset Date);

public sealed record RenderedSignature(string Html, string Text);

/// <summary>
/// Signatures are Scriban templates written by users, so they run in a sandbox: no built-in functions, no .NET
/// objects (the values are plain strings in script objects that refuse unknown members), limits on loops,
/// recursion and time, every value HTML-encoded, and the result sanitised again, because markup can also be
/// assembled from pieces a template writes separately.
/// </summary>
public static class SignatureTemplates
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromMilliseconds(500);

    private static readonly SignatureValues Sample = new("Anna Smirnova", "anna", "Sales", "Anna Smirnova", "anna@example.com", DateTimeOffset.UnixEpoch);

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>Why the template cannot be used, or null: it parses and renders within the sandbox.</summary>
    public static string? Check(string html)
    {
        try
        {
            Render(html, Sample);
            return null;
        }
        catch (SignatureTemplateException e)
        {
            return e.Message;
        }
    }

    public static RenderedSignature Render(string html, SignatureValues values)
    {
        var template = Template.Parse(html);
        if (template.HasErrors)
        {
            throw new SignatureTemplateException(string.Join("; ", template.Messages.Select(m => m.Message)));
        }

        var globals = new StrictObject();
        globals.SetValue("user", new StrictObject { ["name"] = values.UserName, ["login"] = values.UserLogin }, true);
        globals.SetValue("account", new StrictObject
        {
            ["title"] = values.AccountTitle,
            ["name"] = values.AccountName,
            ["address"] = values.AccountAddress,
        }, true);
        globals.SetValue("date", values.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), true);

        using var limit = new CancellationTokenSource(TimeLimit);
        var context = new HtmlEscapingContext(new ScriptObject())
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = 100,
            RecursiveLimit = 10,
            LimitToString = 10_000,
            CancellationToken = limit.Token,
        };
        context.PushGlobal(globals);
        string output;
        try
        {
            output = template.Render(context);
        }
        catch (Exception e) when (e is ScriptRuntimeException or OperationCanceledException or InvalidOperationException)
        {
            throw new SignatureTemplateException(e.Message);
        }

        if (output.Length > 100_000)
        {
            throw new SignatureTemplateException("the signature grows too long when rendered");
        }

        var sanitized = Sanitizer.Sanitize(output);
        return new RenderedSignature(sanitized, ReadableText.FromHtml(sanitized));
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["https", "http", "mailto", "tel"]);
        sanitizer.AllowedTags.ExceptWith(["form", "input", "button", "select", "textarea", "iframe", "object", "embed", "svg", "math"]);
        return sanitizer;
    }

    /// <summary>A script object that says so when a template asks for a member it does not have.</summary>
    private sealed class StrictObject : ScriptObject
    {
        public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object value)
        {
            if (base.TryGetValue(context!, span, member, out value!))
            {
                return true;
            }

            throw new ScriptRuntimeException(span, $"'{member}' is not one of the values a signature may use (user.name, user.login, account.title, account.name, account.address, date)");
        }
    }
}

public sealed class SignatureTemplateException(string message) : Exception(message);
