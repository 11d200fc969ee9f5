extern alias webhost;

using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Rendering;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using webhost::MailAccounts.WebHost;
using webhost::MailAccounts.WebHost.History;

namespace MailAccounts.Benchmarks.EventStore;

/// <summary>
/// What GET /Email/Settings/Accounts/History/{id} does before Razor wraps it in the layout, with the web host's own
/// code: <see cref="AccountHistory.FindAsync"/> (access check, describer) and <see cref="webhost::MailAccounts.WebHost.History.HistoryPage.ViewAsync"/>
/// (the history loaded once, view model), then <see cref="HistoryView.Render"/> (History.scriban through the product's
/// <see cref="TemplateRenderer"/>), in the web host's English words.
/// </summary>
public sealed class HistoryPage(TemplateRenderer templates)
{
    private static readonly HistoryQuery Everything = new(null, null, null, null, null, null);

    /// <summary>The localizer a page gets for a reader whose browser asks for English: the web host's SharedResource.resx.</summary>
    private readonly IStringLocalizer _text = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance).Create(typeof(SharedResource));

    /// <param name="render">False stops before the template, to tell the template's share from the rest.</param>
    public async Task<string> RenderAsync(IQuerySession session, Guid id, Actor viewer, CancellationToken cancellationToken, bool render = true)
    {
        var subject = await AccountHistory.FindAsync(session, _text, id, viewer, cancellationToken)
            ?? throw new InvalidOperationException($"The viewer may not read the history of {id}.");
        var view = await webhost::MailAccounts.WebHost.History.HistoryPage.ViewAsync(session, _text, subject, Everything, cancellationToken);
        return render ? view.Render(templates).Value ?? "" : "";
    }

    /// <summary>The page's export with JSON asked for: the whole history, secrets as "changed" (without the access check).</summary>
    public static async Task<string> ExportJsonAsync(IQuerySession session, Guid id, CancellationToken cancellationToken) =>
        (await HistorySource.Account(id).ExportAsync(session, Everything.Filter, "json", $"account-{id}-history", cancellationToken)).Content;
}
