using Marten;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Settings;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
using MailAccounts.Infrastructure.History;
using MailAccounts.WebHost.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace MailAccounts.WebHost.Pages.Admin.Audit;

/// <summary>One settings change anywhere in the organisation, as the audit page lists it.</summary>
public sealed record AuditRow(DateTimeOffset At, string Who, string Kind, string What, string Where, string? HistoryUrl);

/// <summary>
/// The organisation's audit trail: every settings change of every account, user, user's general settings and
/// outgoing server, newest first, narrowed by user, account, kind and days.
/// </summary>
public sealed class IndexModel(IQuerySession session, IStringLocalizer<SharedResource> text) : PageModel
{
    public IReadOnlyList<AuditRow> Rows { get; private set; } = [];

    public IReadOnlyList<User> Users { get; private set; } = [];

    public IReadOnlyList<Account> Accounts { get; private set; } = [];

    public IReadOnlyList<string> Kinds { get; private set; } = [];

    public Guid? UserFilter { get; private set; }

    public Guid? AccountFilter { get; private set; }

    public string? KindFilter { get; private set; }

    public DateOnly? From { get; private set; }

    public DateOnly? To { get; private set; }

    public async Task OnGetAsync(Guid? user, Guid? account, string? kind, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        (UserFilter, AccountFilter, KindFilter, From, To) = (user, account, kind, from, to);
        Users = await session.Query<User>().OrderBy(u => u.Login).ToListAsync(cancellationToken);
        Accounts = await AccountQueries.ListAsync(session, User.Actor(), AccountUse.Audit, cancellationToken);
        var names = Users.ToDictionary(u => u.Id, u => u.DisplayName);
        var settingsOf = Users.ToDictionary(u => MailSettings.StreamFor(u.Id), u => u.DisplayName);
        var accounts = Accounts.ToDictionary(a => a.Id);

        Kinds = AuditLog.Kinds.Select(t => t.Name).ToArray();
        var found = await AuditLog.QueryAsync(session, new AuditFilter(user, account, kind, from, to), cancellationToken);
        Rows = found
            .Select(e =>
            {
                var data = e.Change;
                var (where, url) = accounts.TryGetValue(e.StreamId, out var a)
                    ? ($"{text["Account.Title"].Value}: {a.Title}", $"/Email/Settings/Accounts/History/{a.Id}?asOf={e.Version}")
                    : settingsOf.TryGetValue(e.StreamId, out var owner)
                        ? ($"{text["Settings.GeneralTab"].Value}: {owner}", (string?)null)
                        : names.TryGetValue(e.StreamId, out var person)
                            ? ($"{text["Nav.Users"].Value}: {person}", null)
                            : (text["Audit.OtherStream"].Value, null);
                var who = data.By == Actors.System ? text["History.System"].Value : names.GetValueOrDefault(data.By, data.By.ToString());
                return new AuditRow(data.At, who, e.Kind, text["Event." + e.Kind].Value, where, url);
            })
            .ToArray();
    }
}
