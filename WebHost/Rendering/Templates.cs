using System.Globalization;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Mail.Mailboxes;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Rendering;

/// <summary>
/// How the application's words and values reach a page: Scriban views with their words translated, stored values and
/// times as a person reads them. Presentation, so it lives in the web host; the benchmarks reference the web host to
/// render exactly as the pages do.
/// </summary>
public static class Templates
{
    /// <summary>Renders a Scriban view; its words come in as <c>t</c>, translated here, so templates hold no language.</summary>
    public static HtmlString View(this TemplateRenderer renderer, string name, IStringLocalizer text, object model, params string[] words) =>
        new HtmlString(renderer.Render(name, new { Model = model, T = words.ToDictionary(w => w.Replace('.', '_'), w => text[w].Value) }));

    /// <summary>
    /// A setting's value as a person reads it: the words for choices and yes/no (Imap, SslOnConnect, True are the
    /// stored forms), anything else as it is.
    /// </summary>
    public static string? Value(this IStringLocalizer text, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var word = text["Value." + value];
        return word.ResourceNotFound ? value : word.Value;
    }

    /// <summary>Why the server could not be read, in the reader's language with the server's own words (after the advice, when there is some).</summary>
    public static string MailProblem<T>(this IStringLocalizer text, MailWork<T> work) =>
        text.Advice(work.Failure) is { } advice
            ? $"{advice.Text} ({text["Client.ServerError"]} {text["Stage." + work.FailedStage]}: {work.Problem})"
            : work.FailedStage is { } stage
            ? $"{text["Client.ServerError"]} {text["Stage." + stage]}: {work.Problem}"
            : $"{text["Client.ServerError"]} {work.Problem}";

    /// <summary>Times are shown in UTC with the zone named, in the reader's culture.</summary>
    public static string Display(this DateTimeOffset at) =>
        at.ToUniversalTime().ToString("g", CultureInfo.CurrentCulture) + " UTC";
}
