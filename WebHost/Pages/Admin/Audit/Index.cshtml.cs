using Marten;
using Marten.Events;
using Marten.Linq.MatchesSql;
using MailAccounts.Domain.Accounts;
using MailAccounts.Domain.Common;
using MailAccounts.Domain.Settings;
using MailAccounts.Domain.Users;
using MailAccounts.Infrastructure.Accounts;
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
    /// <summary>Every kind of settings change, for the filter: the audited events of the domain, by name.</summary>
    private static readonly IReadOnlyList<Type> AuditedKinds = typeof(IAuditedEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAuditedEvent).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The most rows one page shows; narrower filters reach further back.</summary>
    public const int Limit = 200;

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

        Kinds = AuditedKinds.Select(t => t.Name).ToArray();
        IQueryable<JasperFx.Events.IEvent> events = session.Events.QueryAllRawEvents();
        if (from is { } start)
        {
            var since = new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            events = events.Where(e => e.Timestamp >= since);
        }

        if (to is { } end)
        {
            var until = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            events = events.Where(e => e.Timestamp < until);
        }

        if (account is { } accountId)
        {
            events = events.Where(e => e.StreamId == accountId);
        }

        if (!string.IsNullOrEmpty(kind))
        {
            if (AuditedKinds.FirstOrDefault(t => t.Name == kind) is not { } kindType)
            {
                // A kind that names no event narrows to nothing rather than to everything.
                return;
            }

            events = events.Where(e => e.EventTypesAre(kindType));
        }

        if (user is { } userId)
        {
            // Every audited event names its actor as "By"; filtered in the database, so that one person's changes are
            // found however many newer changes others made.
            events = events.Where(e => e.MatchesSql("d.data ->> 'By' = ?", userId.ToString()));
        }

        var found = await events.OrderByDescending(e => e.Sequence).Take(Limit).ToListAsync(cancellationToken);
        Rows = found
            .Where(e => e.Data is IAuditedEvent)
            .Select(e =>
            {
                var data = (IAuditedEvent)e.Data;
                var (where, url) = accounts.TryGetValue(e.StreamId, out var a)
                    ? ($"{text["Account.Title"].Value}: {a.Title}", $"/Email/Settings/Accounts/History/{a.Id}?asOf={e.Version}")
                    : settingsOf.TryGetValue(e.StreamId, out var owner)
                        ? ($"{text["Settings.GeneralTab"].Value}: {owner}", (string?)null)
                        : names.TryGetValue(e.StreamId, out var person)
                            ? ($"{text["Nav.Users"].Value}: {person}", null)
                            : (text["Audit.OtherStream"].Value, null);
                var who = data.By == Actors.System ? text["History.System"].Value : names.GetValueOrDefault(data.By, data.By.ToString());
                var kindName = e.Data.GetType().Name;
                return new AuditRow(data.At, who, kindName, text["Event." + kindName].Value, where, url);
            })
            .ToArray();
    }
}
