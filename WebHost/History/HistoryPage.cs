using System.Globalization;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Rendering;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.History;

/// <summary>A setting and its values as a person reads them: secrets as "changed", ids by name, choices in words.</summary>
public sealed record DescribedChange(string Setting, string? Before, string? After);

/// <summary>
/// Names a history's changes. Given the history the page shows, so that a describer that needs it (to name the people
/// it grants access to) reads the one loaded, not the stream again.
/// </summary>
public delegate Task<Func<SettingChange, DescribedChange>> Describer(IReadOnlyList<HistoryEntry> history, CancellationToken cancellationToken);

/// <summary>
/// One history a viewer may read: its title, its stream and how its changes are named. Found by each history's
/// <c>FindAsync</c> (<see cref="AccountHistory"/>, <see cref="GeneralSettingsHistory"/>, <see cref="OutgoingServerHistory"/>),
/// which applies the access rule; null there means 404.
/// </summary>
public sealed record HistorySubject(string Title, HistorySource Source, Describer Describe, string Path, string ExportName);

/// <summary>What a History page was asked for: a kind of change, a range of days, a moment to look at, two to compare.</summary>
public sealed record HistoryQuery(string? Kind, DateOnly? From, DateOnly? To, long? AsOf, long? A, long? B)
{
    public HistoryFilter Filter => new(Kind, From, To);

    public string FilterParameters => string.Join('&', new[]
    {
        Kind is { Length: > 0 } ? "kind=" + Uri.EscapeDataString(Kind) : null,
        From is { } from ? "from=" + from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        To is { } to ? "to=" + to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
    }.Where(p => p is not null));
}

/// <summary>A History page's view model, built and ready for its template.</summary>
public sealed class HistoryView
{
    private static readonly string[] Words =
    [
        "History.When", "History.Who", "History.What", "History.Changes", "History.Empty", "Common.Empty", "History.Kind", "History.AllKinds",
        "History.From", "History.To", "History.Filter", "History.AsOf", "History.AsOfTitle", "History.Compare", "History.CompareTitle",
        "History.NoDifference", "History.Export", "History.Setting", "History.Value", "History.Back", "Common.Actions", "Advice.ServerSaid",
    ];

    private readonly object _model;
    private readonly IStringLocalizer _text;

    internal HistoryView(object model, IStringLocalizer text) => (_model, _text) = (model, text);

    /// <summary>The page's content: History.scriban with the model and the page's words.</summary>
    public HtmlString Render(TemplateRenderer templates) => templates.View("History", _text, _model, Words);
}

/// <summary>
/// Every History page, built one way: the events newest first with who, when and what changed; filters; the whole
/// settings as of any event, from the same replay of the stream (the settings each event left); two moments
/// compared; and the export links. The account, general settings and outgoing server histories differ only in their
/// <see cref="HistorySubject"/>.
/// </summary>
public static class HistoryPage
{
    /// <summary>Loads the subject's history once, names its changes and builds the view model.</summary>
    public static async Task<HistoryView> ViewAsync(
        IQuerySession session, IStringLocalizer text, HistorySubject subject, HistoryQuery query, CancellationToken cancellationToken)
    {
        var history = await subject.Source.LoadAsync(session, cancellationToken);
        var describe = await subject.Describe(history, cancellationToken);
        return View(text, history, describe, query, subject.Path);
    }

    /// <summary>The history as a file (JSON or CSV) with the page's filters; a secret only as "changed".</summary>
    public static Task<(string Content, string ContentType, string FileName)> ExportAsync(
        IQuerySession session, HistorySubject subject, HistoryQuery query, string? format, CancellationToken cancellationToken) =>
        subject.Source.ExportAsync(session, query.Filter, format ?? "json", subject.ExportName, cancellationToken);

    /// <summary>A moment asked for (as of, or compared) is the settings its event left, from the same replay.</summary>
    private static HistoryView View(
        IStringLocalizer text, IReadOnlyList<HistoryEntry> history, Func<SettingChange, DescribedChange> describe, HistoryQuery query, string path)
    {
        var byVersion = history.ToDictionary(e => e.Version);
        string Moment(HistoryEntry e) => $"{e.At.Display()} — {text["Event." + e.EventType].Value}";

        object? asOf = null;
        if (query.AsOf is { } version && byVersion.TryGetValue(version, out var moment))
        {
            asOf = new
            {
                Moment = Moment(moment),
                Settings = moment.SettingsAfter.Select(p => describe(new SettingChange(p.Key, null, p.Value)))
                    .Select(d => new { d.Setting, Value = d.After ?? "" }).ToArray(),
            };
        }

        object? comparison = null;
        if (query.A is { } a && query.B is { } b && byVersion.TryGetValue(a, out var first) && byVersion.TryGetValue(b, out var second))
        {
            comparison = new
            {
                First = Moment(first),
                Second = Moment(second),
                Rows = SettingChanges.Between(first.SettingsAfter, second.SettingsAfter).Select(describe)
                    .Select(d => new { d.Setting, First = d.Before, Second = d.After }).ToArray(),
            };
        }

        var filters = query.FilterParameters;
        var model = new
        {
            Path = path,
            Kinds = history.Select(e => e.EventType).Distinct().Order(StringComparer.Ordinal)
                .Select(k => new { Value = k, Label = text["Event." + k].Value, Selected = k == query.Kind }).ToArray(),
            From = query.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            To = query.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            Moments = history.Select(e => new { e.Version, Label = Moment(e), FirstSelected = e.Version == query.A, SecondSelected = e.Version == query.B }).ToArray(),
            ExportJson = $"{path}?handler=Export&format=json{(filters.Length > 0 ? "&" + filters : "")}",
            ExportCsv = $"{path}?handler=Export&format=csv{(filters.Length > 0 ? "&" + filters : "")}",
            AsOf = asOf,
            Comparison = comparison,
            Entries = query.Filter.Apply(history).Select(e => new
            {
                e.Version,
                e.EventType,
                When = e.At.Display(),
                WhenIso = e.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                What = text["Event." + e.EventType].Value,
                Outcome = e.Outcome is { } outcome
                    ? (outcome.Succeeded ? text["History.Succeeded"].Value + ": " + outcome.Detail : text["History.Failed"].Value + ": " + Failure(text, outcome).Text)
                    : "",
                // A failure reads as advice in the page's language; what the server said stays in a details line below.
                AdviceKey = e.Outcome is { Succeeded: false } advised ? Failure(text, advised).Key : "",
                ServerWords = e.Outcome is { Succeeded: false } said ? Failure(text, said).ServerWords : "",
                Who = e.By == Actors.System ? text["History.System"].Value : e.ByName,
                Changes = e.Changes.Select(describe).ToArray(),
                AsOfUrl = $"{path}?asOf={e.Version}",
            }).ToArray(),
        };
        return new HistoryView(model, text);
    }

    /// <summary>A failed outcome as advice: the test events keep the facts for it; a message not sent says so and shows the server's words.</summary>
    private static RecordedAdvice Failure(IStringLocalizer text, IOutcomeEvent outcome) => outcome switch
    {
        ConnectionTested tested => text.Recorded(tested.Failure, tested.Detail),
        TestEmailSent sent => text.Recorded(sent.Failure, sent.Detail),
        _ => text.Recorded(null, outcome.Detail, AdviceWords.NotSentSeeBelow),
    };
}
