using System.Globalization;
using System.Xml.Linq;
using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Rendering;
using Microsoft.Extensions.Localization;

namespace MailAccounts.Benchmarks.EventStore;

/// <summary>
/// The web host's English words, read from its resource file: what the page's localizer answers for a reader whose
/// browser asks for English. The benchmark does not reference the web project, so it reads the .resx itself.
/// </summary>
public sealed class Words : IStringLocalizer
{
    private readonly Dictionary<string, string> _words;

    private Words(Dictionary<string, string> words) => _words = words;

    public static Words Load(string resxPath) => new(XDocument.Load(resxPath).Root!.Elements("data")
        .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal));

    /// <summary>As a missing resource does: the key itself, marked not found.</summary>
    public LocalizedString this[string name] =>
        _words.TryGetValue(name, out var value) ? new(name, value) : new(name, name, resourceNotFound: true);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var format = this[name];
            return new(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => _words.Select(w => new LocalizedString(w.Key, w.Value));
}

/// <summary>
/// What GET /Email/Settings/Accounts/History/{id} does before Razor wraps it in the layout, with the product's own
/// code: <see cref="AccountHistory.ViewAsync"/> (access check, the history loaded once, describer, view model) and
/// <see cref="HistoryView.Render"/> (History.scriban through the product's <see cref="TemplateRenderer"/>).
/// </summary>
public sealed class HistoryPage(TemplateRenderer templates, IStringLocalizer text)
{
    private static readonly HistoryQuery Everything = new(null, null, null, null, null, null);

    /// <param name="render">False stops before the template, to tell the template's share from the rest.</param>
    public async Task<string> RenderAsync(IQuerySession session, Guid id, Actor viewer, CancellationToken cancellationToken, bool render = true)
    {
        var (_, view) = await AccountHistory.ViewAsync(session, text, id, viewer, Everything, $"/Email/Settings/Accounts/History/{id}", cancellationToken)
            ?? throw new InvalidOperationException($"The viewer may not read the history of {id}.");
        return render ? view.Render(templates).Value ?? "" : "";
    }

    /// <summary>The page's export with JSON asked for: the whole history, secrets as "changed" (without the access check).</summary>
    public static async Task<string> ExportJsonAsync(IQuerySession session, Guid id, CancellationToken cancellationToken) =>
        (await HistoryPages.ExportAsync<Account>(session, id, Account.Evolve, Account.Settings, Account.PasswordSetting, Everything, "json",
            $"account-{id}-history", cancellationToken)).Content;
}
