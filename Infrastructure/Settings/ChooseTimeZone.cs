using Marten;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Common;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>Settings » General settings, Time zone: an IANA id, or null for the browser's zone.</summary>
public sealed record ChooseTimeZone(Guid ActorId, string? TimeZone);

public static class ChooseTimeZoneHandler
{
    public static Task<Outcome> Handle(ChooseTimeZone command, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken) =>
        SettingsStream.DecideAsync(session, command.ActorId,
            settings => MailSettingsDecisions.ChooseTimeZone(command.ActorId, settings, command.TimeZone, TimeZones.IsKnown, command.ActorId, now),
            cancellationToken);
}

/// <summary>The machine's time-zone database, by IANA id only (Windows ids are not offered and not kept).</summary>
public static class TimeZones
{
    public static bool IsKnown(string id) =>
        id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    public static TimeZoneInfo? Find(string? id) =>
        id is not null && IsKnown(id) ? TimeZoneInfo.FindSystemTimeZoneById(id) : null;

    /// <summary>The zones a person may choose from: the IANA ids with a place name (Area/City), sorted.</summary>
    public static IReadOnlyList<string> Offered { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId && z.Id.Contains('/') && !z.Id.StartsWith("Etc/", StringComparison.Ordinal))
            .Select(z => z.Id).Append("UTC").Distinct().Order(StringComparer.Ordinal)];
}
