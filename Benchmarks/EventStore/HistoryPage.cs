using System.Globalization;
using System.Xml.Linq;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.Infrastructure.Settings;

namespace MailAccounts.Benchmarks.EventStore;

/// <summary>The web host's English words, read from its resource file: what the page's localizer would answer.</summary>
public sealed class Words
{
    private readonly Dictionary<string, string> _words;

    private Words(Dictionary<string, string> words) => _words = words;

    public static Words Load(string resxPath) => new(XDocument.Load(resxPath).Root!.Elements("data")
        .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal));

    /// <summary>As a missing resource does: the key itself.</summary>
    public string this[string key] => _words.GetValueOrDefault(key, key);

    /// <summary>WebHost's <c>Templates.Value</c>: the words for stored choices, anything else as it is.</summary>
    public string? Value(string? value) => value is null ? null : _words.GetValueOrDefault("Value." + value, value);
}

/// <summary>
/// What GET /Email/Settings/Accounts/History/{id} does before Razor wraps it in the layout: the page model's access
/// check and describer, then <c>HistoryPages.RenderAsync</c> (load the history, build the view model, render
/// History.scriban through the product's <see cref="TemplateRenderer"/>). WebHost's types are internal to it and the
/// benchmark does not reference the web project, so this is a line-by-line copy of
/// <c>WebHost/Pages/Email/Settings/Accounts/History.cshtml.cs</c> and <c>WebHost/Hosting/HistoryPages.cs</c> for the
/// page without query parameters; keep it in step with them.
/// </summary>
public sealed class HistoryPage(TemplateRenderer templates, Words text)
{
    private static readonly string[] PageWords =
    [
        "History.When", "History.Who", "History.What", "History.Changes", "History.Empty", "Common.Empty", "History.Kind", "History.AllKinds",
        "History.From", "History.To", "History.Filter", "History.AsOf", "History.AsOfTitle", "History.Compare", "History.CompareTitle",
        "History.NoDifference", "History.Export", "History.Setting", "History.Value", "History.Back",
    ];

    /// <param name="render">False stops before the template, to tell the template's share from the rest.</param>
    public async Task<string> RenderAsync(IQuerySession session, Guid id, Viewer viewer, CancellationToken cancellationToken, bool render = true)
    {
        var account = await AccountQueries.FindAsync(session, id, viewer, AccountUse.Audit, cancellationToken)
            ?? throw new InvalidOperationException($"The viewer may not read the history of {id}.");
        _ = account.Title;
        var describe = await DescriberAsync(session, id, viewer.UserId, cancellationToken);

        var history = await SettingsHistory.LoadAsync<Account>(session, id, Account.Evolve, Account.Settings, cancellationToken);
        var byVersion = history.ToDictionary(e => e.Version);
        _ = byVersion.Count;
        string Moment(HistoryEntry e) => $"{Display(e.At)} — {text["Event." + e.EventType]}";
        var path = $"/Email/Settings/Accounts/History/{id}";
        var model = new
        {
            Path = path,
            Kinds = history.Select(e => e.EventType).Distinct().Order(StringComparer.Ordinal)
                .Select(k => new { Value = k, Label = text["Event." + k], Selected = false }).ToArray(),
            From = "",
            To = "",
            Moments = history.Select(e => new { e.Version, Label = Moment(e), FirstSelected = false, SecondSelected = false }).ToArray(),
            ExportJson = $"{path}?handler=Export&format=json",
            ExportCsv = $"{path}?handler=Export&format=csv",
            AsOf = (object?)null,
            Comparison = (object?)null,
            Entries = new HistoryFilter(null, null, null).Apply(history).Select(e => new
            {
                e.Version,
                When = Display(e.At),
                WhenIso = e.At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                What = text["Event." + e.EventType],
                Outcome = e.Outcome is { } outcome ? (outcome.Succeeded ? text["History.Succeeded"] : text["History.Failed"]) + ": " + outcome.Detail : "",
                Who = e.By == Actors.System ? text["History.System"] : e.ByName,
                Changes = e.Changes.Select(describe).ToArray(),
                AsOfUrl = $"{path}?asOf={e.Version}",
            }).ToArray(),
        };
        return render ? templates.Render("History", new { Model = model, T = PageWords.ToDictionary(w => w.Replace('.', '_'), w => text[w]) }) : "";
    }

    /// <summary>The page's export handler with JSON asked for: the whole history, secrets as "changed".</summary>
    public static async Task<string> ExportJsonAsync(IQuerySession session, Guid id, CancellationToken cancellationToken)
    {
        var history = await SettingsHistory.LoadAsync<Account>(session, id, Account.Evolve, Account.Settings, cancellationToken);
        return HistoryExport.ToJson(HistoryExport.Entries(history, Account.PasswordSetting));
    }

    private static string Display(DateTimeOffset at) => at.ToUniversalTime().ToString("g", CultureInfo.CurrentCulture) + " UTC";

    private async Task<Func<SettingChange, DescribedChange>> DescriberAsync(IQuerySession session, Guid id, Guid userId, CancellationToken cancellationToken)
    {
        var history = await session.Events.FetchStreamAsync(id, token: cancellationToken);
        var grantees = history.Select(e => e.Data).OfType<AccessGranted>().Select(e => e.UserId).Distinct().ToArray();
        var users = (await session.LoadManyAsync<User>(cancellationToken, grantees)).ToDictionary(u => u.Id.ToString(), u => u.DisplayName);
        var signatures = (await MailSettingsQueries.ForUserAsync(session, userId, cancellationToken)).Signatures.ToDictionary(s => s.Id.ToString(), s => s.Name);
        var servers = (await OutgoingServerQueries.VisibleToAsync(session, userId, cancellationToken)).ToDictionary(s => s.Id.ToString(), s => s.Label);
        return change => Describe(change, servers, signatures, users);
    }

    private DescribedChange Describe(
        SettingChange change, IReadOnlyDictionary<string, string> servers, IReadOnlyDictionary<string, string> signatures, IReadOnlyDictionary<string, string> users)
    {
        if (change.Setting.StartsWith(Account.AccessSetting, StringComparison.Ordinal))
        {
            var user = change.Setting[Account.AccessSetting.Length..];
            string? Access(string? value) => value is null ? null : text["AdminAccounts.Granted"];
            return new($"{text["AdminAccounts.Access"]}: {users.GetValueOrDefault(user, user)}", Access(change.Before), Access(change.After));
        }

        const string trusted = "TrustedCertificate:";
        if (change.Setting == Account.PasswordSetting)
        {
            return new(text["Account.Password"], null, change.After is null ? null : text["History.PasswordChanged"]);
        }

        if (change.Setting.StartsWith(trusted, StringComparison.Ordinal))
        {
            return new(string.Format(CultureInfo.CurrentCulture, text["Account.TrustedCertificate"], change.Setting[trusted.Length..]), change.Before, change.After);
        }

        if (change.Setting == nameof(Account.SignatureId))
        {
            string? Signature(string? signature) => signature switch
            {
                null => null,
                "" => text["Account.DefaultSignature"],
                _ => signatures.GetValueOrDefault(signature, signature),
            };
            return new(text["Account.Signature"], Signature(change.Before), Signature(change.After));
        }

        if (change.Setting == "OutgoingServer")
        {
            string? Server(string? server) => server switch
            {
                null => null,
                "" => text["Outgoing.SystemDefault"],
                _ => servers.GetValueOrDefault(server, server),
            };
            return new(text["Account.OutgoingServer"], Server(change.Before), Server(change.After));
        }

        return new(text["Account." + change.Setting], text.Value(change.Before), text.Value(change.After));
    }
}

/// <summary>WebHost's <c>DescribedChange</c>.</summary>
public sealed record DescribedChange(string Setting, string? Before, string? After);
