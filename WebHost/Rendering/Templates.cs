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

    /// <summary>
    /// A time in full, in the reader's zone (<see cref="ReaderZone"/>) and culture, with the zone named: the message page
    /// and a short form's tooltip. The one formatter of times: every page goes through it or through <see cref="Short"/>.
    /// </summary>
    public static string Display(this DateTimeOffset at)
    {
        var zone = ReaderZone.Current;
        return TimeZoneInfo.ConvertTime(at, zone).ToString("g", CultureInfo.CurrentCulture) + " " + ZoneName(zone, at);
    }

    /// <summary>A time as a list shows it: the time today, the day and time this week, the date before that.</summary>
    public static string Short(this DateTimeOffset at, DateTimeOffset? now = null)
    {
        var zone = ReaderZone.Current;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var today = TimeZoneInfo.ConvertTime(now ?? DateTimeOffset.UtcNow, zone).Date;
        var culture = CultureInfo.CurrentCulture;
        return local.Date == today ? local.ToString("t", culture)
            : local.Date < today && local.Date > today.AddDays(-7) ? local.ToString("ddd ", culture) + local.ToString("t", culture)
            : local.ToString("d", culture);
    }

    /// <summary>The short form in a <c>time</c> element that keeps the exact moment and says it in full on hover.</summary>
    public static IHtmlContent Time(this DateTimeOffset at)
    {
        var encoder = System.Text.Encodings.Web.HtmlEncoder.Default;
        return new HtmlString(
            $"<time datetime=\"{encoder.Encode(Iso(at))}\" title=\"{encoder.Encode(at.Display())}\">{encoder.Encode(at.Short())}</time>");
    }

    /// <summary>The exact moment for a <c>datetime</c> attribute.</summary>
    public static string Iso(this DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string ZoneName(TimeZoneInfo zone, DateTimeOffset at)
    {
        var offset = zone.GetUtcOffset(at);
        if (zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC")
        {
            return "UTC";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var hours = Math.Abs(offset.Hours).ToString(CultureInfo.InvariantCulture);
        var minutes = offset.Minutes == 0 ? "" : ":" + Math.Abs(offset.Minutes).ToString("00", CultureInfo.InvariantCulture);
        return $"({zone.Id}, UTC{sign}{hours}{minutes})";
    }

    /// <summary>A size in the page's language: "781 байт", "2,8 КБ", "1 ГБ"; "781 B", "2.8 KB", "1 GB".</summary>
    public static string Size(this IStringLocalizer text, long bytes)
    {
        var culture = CultureInfo.CurrentCulture;
        return bytes switch
        {
            < 1024 => string.Format(culture, text.Plural("Size.Bytes", bytes), bytes),
            < 1024 * 1024 => string.Format(culture, text["Size.Kilobytes"].Value, (bytes / 1024.0).ToString("0.#", culture)),
            < 1024L * 1024 * 1024 => string.Format(culture, text["Size.Megabytes"].Value, (bytes / 1024.0 / 1024.0).ToString("0.#", culture)),
            _ => string.Format(culture, text["Size.Gigabytes"].Value, (bytes / 1024.0 / 1024.0 / 1024.0).ToString("0.#", culture)),
        };
    }

    /// <summary>
    /// The word for a count in the page's language: the keys <c>key.One</c>, <c>key.Few</c> and <c>key.Many</c>
    /// (Russian: 1 письмо, 2 письма, 5 писем; English uses One and Many, its Few repeats Many). The text has {0}.
    /// </summary>
    public static string Plural(this IStringLocalizer text, string key, long count) =>
        text[key + "." + PluralForm(count, CultureInfo.CurrentUICulture)].Value;

    public static string PluralForm(long count, CultureInfo culture)
    {
        var n = Math.Abs(count);
        if (culture.TwoLetterISOLanguageName != "ru")
        {
            return n == 1 ? "One" : "Many";
        }

        return (n % 10, n % 100) switch
        {
            (1, not 11) => "One",
            (>= 2 and <= 4, not (>= 12 and <= 14)) => "Few",
            _ => "Many",
        };
    }
}

/// <summary>
/// The time zone of the person the page is for, like <see cref="CultureInfo.CurrentCulture"/> for the language: set
/// once per request (see <c>ReaderZoneMiddleware</c>), UTC when nothing is known.
/// </summary>
public static class ReaderZone
{
    private static readonly AsyncLocal<TimeZoneInfo?> Zone = new();

    public static TimeZoneInfo Current => Zone.Value ?? TimeZoneInfo.Utc;

    /// <summary>Sets the zone for the rest of this flow of work; dispose to restore the previous one.</summary>
    public static IDisposable Use(TimeZoneInfo? zone)
    {
        var previous = Zone.Value;
        Zone.Value = zone;
        return new Restore(previous);
    }

    private sealed class Restore(TimeZoneInfo? previous) : IDisposable
    {
        public void Dispose() => Zone.Value = previous;
    }
}
