using System.Globalization;
using Marten;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Rendering;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace MailAccounts.Infrastructure.History;

/// <summary>A setting and its values as a person reads them: secrets as "changed", ids by name, choices in words.</summary>
public sealed record DescribedChange(string Setting, string? Before, string? After);

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
        "History.NoDifference", "History.Export", "History.Setting", "History.Value", "History.Back",
    ];

    private readonly object _model;
    private readonly IStringLocalizer _text;

    internal HistoryView(object model, IStringLocalizer text) => (_model, _text) = (model, text);

    /// <summary>The page's content: History.scriban with the model and the page's words.</summary>
    public HtmlString Render(TemplateRenderer templates) => templates.View("History", _text, _model, Words);
}

/// <summary>
/// Every History page: the events newest first with who, when and what changed; filters; the whole settings as of
/// any event, from the same replay of the stream (the settings each event left); two moments compared; and the export links.
/// </summary>
public static class HistoryPages
{
    /// <summary>Loads the stream's history and renders it, for a page whose describer does not read the history.</summary>
    public static async Task<HtmlString> RenderAsync<TState>(
        IQuerySession session, TemplateRenderer templates, IStringLocalizer text, Guid streamId,
        Func<TState?, object, TState?> evolve, Func<TState?, IReadOnlyList<KeyValuePair<string, string>>> settings,
        Func<SettingChange, DescribedChange> describe, HistoryQuery query, string path, CancellationToken cancellationToken)
        where TState : class
    {
        var history = await SettingsHistory.LoadAsync(session, streamId, evolve, settings, cancellationToken);
        return View(text, history, describe, query, path).Render(templates);
    }

    /// <summary>
    /// The view model of a history already loaded by <see cref="SettingsHistory.LoadAsync"/>, so that a describer that
    /// needs the history (to name the people in it) reads the one the page shows. A moment asked for (as of, or
    /// compared) is the settings its event left, from the same replay.
    /// </summary>
    public static HistoryView View(
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
                Outcome = e.Outcome is { } outcome ? (outcome.Succeeded ? text["History.Succeeded"].Value : text["History.Failed"].Value) + ": " + outcome.Detail : "",
                Who = e.By == Actors.System ? text["History.System"].Value : e.ByName,
                Changes = e.Changes.Select(describe).ToArray(),
                AsOfUrl = $"{path}?asOf={e.Version}",
            }).ToArray(),
        };
        return new HistoryView(model, text);
    }

    /// <summary>The history as a file: all of it, or what the filters leave.</summary>
    public static async Task<(string Content, string ContentType, string FileName)> ExportAsync<TState>(
        IQuerySession session, Guid streamId, Func<TState?, object, TState?> evolve, Func<TState?, IReadOnlyList<KeyValuePair<string, string>>> settings,
        string secretSetting, HistoryQuery query, string format, string name, CancellationToken cancellationToken)
        where TState : class
    {
        var history = query.Filter.Apply(await SettingsHistory.LoadAsync(session, streamId, evolve, settings, cancellationToken));
        var entries = HistoryExport.Entries(history, secretSetting);
        return format == "csv"
            ? (HistoryExport.ToCsv(entries), "text/csv; charset=utf-8", name + ".csv")
            : (HistoryExport.ToJson(entries), "application/json; charset=utf-8", name + ".json");
    }
}
