using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.Infrastructure.Outgoing;
using MailAccounts.Infrastructure.Settings;
using MailAccounts.Infrastructure.Rendering;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Email.Settings.Accounts;

/// <summary>What happened to one account, newest first: who, when and what changed.</summary>
public sealed class HistoryModel(IQuerySession session, TemplateRenderer templates, IStringLocalizer<SharedResource> text) : PageModel
{
    public string Title { get; private set; } = "";

    public IHtmlContent Entries { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync(
        Guid id, string? kind, DateOnly? from, DateOnly? to, long? asOf, long? a, long? b, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, id, User.Viewer(), AccountUse.Audit, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        Title = account.Title;
        var describe = await DescriberAsync(id, cancellationToken);
        Entries = await HistoryPages.RenderAsync<Account>(session, templates, text, id, Account.Evolve, Account.Settings, describe,
            new HistoryQuery(kind, from, to, asOf, a, b), $"/Email/Settings/Accounts/History/{id}", cancellationToken);
        return Page();
    }

    /// <summary>The history as JSON or CSV, with the page's filters.</summary>
    public async Task<IActionResult> OnGetExportAsync(Guid id, string? format, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, id, User.Viewer(), AccountUse.Audit, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        var (content, contentType, name) = await HistoryPages.ExportAsync<Account>(session, id, Account.Evolve, Account.Settings, Account.PasswordSetting,
            new HistoryQuery(kind, from, to, null, null, null), format ?? "json", $"account-{id}-history", cancellationToken);
        return File(System.Text.Encoding.UTF8.GetBytes(content), contentType, name);
    }

    private async Task<Func<SettingChange, DescribedChange>> DescriberAsync(Guid id, CancellationToken cancellationToken)
    {
        var history = await session.Events.FetchStreamAsync(id, token: cancellationToken);
        var grantees = history.Select(e => e.Data).OfType<AccessGranted>().Select(e => e.UserId).Distinct().ToArray();
        var users = (await session.LoadManyAsync<MailAccounts.Domain.Users.User>(cancellationToken, grantees)).ToDictionary(u => u.Id.ToString(), u => u.DisplayName);
        var signatures = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).Signatures.ToDictionary(s => s.Id.ToString(), s => s.Name);
        var servers = (await OutgoingServerQueries.VisibleToAsync(session, User.Id(), cancellationToken)).ToDictionary(s => s.Id.ToString(), s => s.Label);
        return change => Describe(change, servers, signatures, users);
    }

    /// <summary>A change as a person reads it: secrets only as "changed", servers by name, certificates by host.</summary>
    private DescribedChange Describe(
        SettingChange change, IReadOnlyDictionary<string, string> servers, IReadOnlyDictionary<string, string> signatures, IReadOnlyDictionary<string, string> users)
    {
        if (change.Setting.StartsWith(Account.AccessSetting, StringComparison.Ordinal))
        {
            var user = change.Setting[Account.AccessSetting.Length..];
            string? Access(string? value) => value is null ? null : text["AdminAccounts.Granted"].Value;
            return new($"{text["AdminAccounts.Access"].Value}: {users.GetValueOrDefault(user, user)}", Access(change.Before), Access(change.After));
        }

        const string trusted = "TrustedCertificate:";
        if (change.Setting == Account.PasswordSetting)
        {
            return new(text["Account.Password"].Value, null, change.After is null ? null : text["History.PasswordChanged"].Value);
        }

        if (change.Setting.StartsWith(trusted, StringComparison.Ordinal))
        {
            return new(string.Format(text["Account.TrustedCertificate"].Value, change.Setting[trusted.Length..]), change.Before, change.After);
        }

        if (change.Setting == nameof(Account.SignatureId))
        {
            string? Signature(string? id) => id switch
            {
                null => null,
                "" => text["Account.DefaultSignature"].Value,
                _ => signatures.GetValueOrDefault(id, id),
            };
            return new(text["Account.Signature"].Value, Signature(change.Before), Signature(change.After));
        }

        if (change.Setting == "OutgoingServer")
        {
            string? Server(string? id) => id switch
            {
                null => null,
                "" => text["Outgoing.SystemDefault"].Value,
                _ => servers.GetValueOrDefault(id, id),
            };
            return new(text["Account.OutgoingServer"].Value, Server(change.Before), Server(change.After));
        }

        return new(text["Account." + change.Setting].Value, text.Value(change.Before), text.Value(change.After));
    }
}
