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

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var account = await AccountQueries.FindAsync(session, id, User.Viewer(), AccountUse.Audit, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        Title = account.Title;
        var history = await SettingsHistory.LoadAsync<Account>(session, id, Account.Evolve, Account.Settings, cancellationToken);
        var signatures = (await MailSettingsQueries.ForUserAsync(session, User.Id(), cancellationToken)).Signatures.ToDictionary(s => s.Id.ToString(), s => s.Name);
        var servers = (await OutgoingServerQueries.VisibleToAsync(session, User.Id(), cancellationToken)).ToDictionary(s => s.Id.ToString(), s => s.Label);
        var grantees = history.SelectMany(e => e.Changes).Where(c => c.Setting.StartsWith(Account.AccessSetting, StringComparison.Ordinal))
            .Select(c => Guid.TryParse(c.Setting[Account.AccessSetting.Length..], out var userId) ? userId : Guid.Empty).Distinct().ToArray();
        var users = (await session.LoadManyAsync<MailAccounts.Domain.Users.User>(cancellationToken, grantees)).ToDictionary(u => u.Id.ToString(), u => u.DisplayName);
        var entries = history.Select(e => new
        {
            When = e.At.Display(),
            WhenIso = e.At.ToUniversalTime().ToString("O"),
            What = text["Event." + e.EventType].Value,
            Outcome = e.Outcome is { } outcome ? (outcome.Succeeded ? text["History.Succeeded"].Value : text["History.Failed"].Value) + ": " + outcome.Detail : "",
            Who = e.By == Actors.System ? text["History.System"].Value : e.ByName,
            Changes = e.Changes.Select(c => Describe(c, servers, signatures, users)).ToArray(),
        });
        Entries = templates.View("AccountHistory", text, entries.ToArray(),
            "History.When", "History.Who", "History.What", "History.Changes", "History.Empty", "Common.Empty");
        return Page();
    }

    /// <summary>A change as a person reads it: secrets only as "changed", servers by name, certificates by host.</summary>
    private object Describe(
        SettingChange change, IReadOnlyDictionary<string, string> servers, IReadOnlyDictionary<string, string> signatures, IReadOnlyDictionary<string, string> users)
    {
        if (change.Setting.StartsWith(Account.AccessSetting, StringComparison.Ordinal))
        {
            var user = change.Setting[Account.AccessSetting.Length..];
            string? Access(string? value) => value is null ? null : text["AdminAccounts.Granted"].Value;
            return new { Setting = $"{text["AdminAccounts.Access"].Value}: {users.GetValueOrDefault(user, user)}", Before = Access(change.Before), After = Access(change.After) };
        }

        const string trusted = "TrustedCertificate:";
        if (change.Setting == Account.PasswordSetting)
        {
            return new { Setting = text["Account.Password"].Value, Before = (string?)null, After = (string?)text["History.PasswordChanged"].Value };
        }

        if (change.Setting.StartsWith(trusted, StringComparison.Ordinal))
        {
            return new { Setting = string.Format(text["Account.TrustedCertificate"].Value, change.Setting[trusted.Length..]), change.Before, change.After };
        }

        if (change.Setting == nameof(Account.SignatureId))
        {
            string? Signature(string? id) => id switch
            {
                null => null,
                "" => text["Account.DefaultSignature"].Value,
                _ => signatures.GetValueOrDefault(id, id),
            };
            return new { Setting = text["Account.Signature"].Value, Before = Signature(change.Before), After = Signature(change.After) };
        }

        if (change.Setting == "OutgoingServer")
        {
            string? Server(string? id) => id switch
            {
                null => null,
                "" => text["Outgoing.SystemDefault"].Value,
                _ => servers.GetValueOrDefault(id, id),
            };
            return new { Setting = text["Account.OutgoingServer"].Value, Before = Server(change.Before), After = Server(change.After) };
        }

        return new { Setting = text["Account." + change.Setting].Value, Before = text.Value(change.Before), After = text.Value(change.After) };
    }
}
