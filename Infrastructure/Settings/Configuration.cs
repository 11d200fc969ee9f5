using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Storage;

namespace MailAccounts.Infrastructure.Settings;

public static class Configuration
{
    public static StoreOptions ConfigureMailSettings(this StoreOptions options)
    {
        options.Projections.Add(new MailSettingsProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<MailboxStatus>().Index(s => s.UserId);
        options.Schema.For<CheckClaim>();
        return options;
    }
}

/// <summary>Marten's entry to the pure <see cref="MailSettings.Evolve"/>.</summary>
public sealed class MailSettingsProjection : SingleStreamProjection<MailSettings, Guid>
{
    public MailSettingsProjection() => IncludedEventTypes.AddRange(MailSettings.ChangedBy);

    public override MailSettings? Evolve(MailSettings? snapshot, Guid id, IEvent e) => MailSettings.Evolve(snapshot, e.Data);
}

public static class MailSettingsQueries
{
    /// <summary>
    /// The user's settings; the defaults until the user changes one. Read from the events when the view's row is
    /// missing (a rebuild under way), so that a scheduled check never takes a rebuild for "checks switched off".
    /// </summary>
    public static async Task<MailSettings> ForUserAsync(IQuerySession session, Guid userId, CancellationToken cancellationToken) =>
        await session.LoadOrReplayAsync<MailSettings>(MailSettings.StreamFor(userId), cancellationToken) ?? MailSettings.Defaults(userId);
}
