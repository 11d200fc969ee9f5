using System.Globalization;
using MailAccounts.WebHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace MailAccounts.Specs.Support;

/// <summary>What specs read from the product's pages, by their hooks.</summary>
public static class Lists
{
    /// <summary>The ids of the accounts listed on /Email/Settings/Accounts, in page order.</summary>
    public static IReadOnlyList<string> AccountIds(this Page accounts) =>
        accounts.Dom.All("#accounts tr[data-account]").Select(row => row.GetAttribute("data-account")!).ToArray();

    /// <summary>The id of the account listed on /Email/Settings/Accounts with this title.</summary>
    public static Guid AccountId(this Page accounts, string title) =>
        Guid.Parse(accounts.Dom.All("#accounts tr[data-account]").Single(row => row.GetAttribute("data-title") == title).GetAttribute("data-account")!);

    /// <summary>The subjects of the messages listed on a mail page, in page order.</summary>
    public static IReadOnlyList<string> Subjects(this Page mail) => mail.Dom.Texts("#messages tr[data-message] [data-subject]");

    /// <summary>A History page's events, newest first: their versions and event types.</summary>
    public static IReadOnlyList<(long Version, string Event)> Events(this Page history) =>
        history.Dom.All("#history tr[data-version]")
            .Select(row => (long.Parse(row.GetAttribute("data-version")!, CultureInfo.InvariantCulture), row.GetAttribute("data-event")!)).ToArray();

    /// <summary>Every change a History page lists, as (before, after); null where a value did not exist.</summary>
    public static IReadOnlyList<(string? Before, string? After)> Changes(this Page history, string scope = "#history") =>
        history.Dom.All($"{scope} [data-change]").Select(c => (c.GetAttribute("data-before"), c.GetAttribute("data-after"))).ToArray();

    /// <summary>The message shown at a form field, empty when the field was accepted.</summary>
    public static string ErrorAt(this Page page, string field) => page.Dom.Find($"[data-valmsg-for=\"{field}\"]")?.TextContent.Trim() ?? "";

    /// <summary>
    /// The product's own words for a resource key, in English: a spec that checks a notice compares it with the
    /// resource, so that rewording the notice does not break the spec, while showing another notice does.
    /// </summary>
    public static string Word(this ProductFixture product, string key, string culture = "en")
    {
        var text = product.Services.GetRequiredService<IStringLocalizer<SharedResource>>();
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return text[key].Value;
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
