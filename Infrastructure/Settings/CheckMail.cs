using Marten;
using MailAccounts.Domain.Settings;
using MailAccounts.Infrastructure.Common;
using MailAccounts.Infrastructure.Import;
using MailAccounts.Infrastructure.Mail;
using Wolverine;

namespace MailAccounts.Infrastructure.Settings;

/// <summary>
/// A scheduled check of a user's accounts. <paramref name="Chain"/> is when the interval was chosen: a check
/// whose chain is no longer the user's current one ends quietly, so changing the interval never doubles checks.
/// </summary>
public sealed record CheckMail(Guid UserId, int IntervalMinutes, DateTimeOffset Chain, DateTimeOffset Slot);

/// <summary>Marks a slot of a chain as done; its id makes a second host's attempt at the same slot fail.</summary>
public sealed record CheckClaim(string Id, Guid UserId, DateTimeOffset ClaimedAt);

public static class MailCheckSchedule
{
    public static object Next(Guid userId, int minutes, DateTimeOffset chain, DateTimeOffset from) =>
        new CheckMail(userId, minutes, chain, from.AddMinutes(minutes)).ScheduledAt(from.AddMinutes(minutes));

    public static object Start(Guid userId, int minutes, DateTimeOffset chain) => Next(userId, minutes, chain, chain);
}

public static class CheckMailHandler
{
    /// <summary>
    /// Takes the store, not Wolverine's session, as <see cref="CheckMailNowHandler"/> does: no transaction is open while
    /// the servers are signed in to, and the statuses are saved at the end.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(
        CheckMail message, IDocumentStore store, MailChecker checker, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var messages = new OutgoingMessages();
        await using var session = store.LightweightSession();
        var settings = await MailSettingsQueries.ForUserAsync(session, message.UserId, cancellationToken);
        if (settings.CheckIntervalMinutes != message.IntervalMinutes || settings.CheckIntervalChangedAt != message.Chain)
        {
            return messages;
        }

        // However many hosts run, one of them does the slot: the claim commits before any server is contacted.
        if (await TryClaimAsync(store, message, now, cancellationToken))
        {
            var checkedAccounts = await checker.CheckAsync(session, message.UserId, now, cancellationToken);
            await session.SaveChangesAsync(cancellationToken);
            messages.AddRange(checkedAccounts.Where(a => a.Imports).Select(account => new ImportAccount(account.Id, MailAccounts.Domain.Common.Actors.System)));
            messages.AddRange(checkedAccounts.Where(a => a.Succeeded).Select(account => new Verification.ScanForBounces(account.Id)));
        }

        // The next slot keeps the cadence; after downtime it starts again from now rather than catching up.
        var next = message.Slot.AddMinutes(message.IntervalMinutes) > now ? message.Slot : now;
        messages.Add(MailCheckSchedule.Next(message.UserId, message.IntervalMinutes, message.Chain, next));
        return messages;
    }

    private static async Task<bool> TryClaimAsync(IDocumentStore store, CheckMail message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var claim = store.LightweightSession();
        claim.Insert(new CheckClaim($"{message.UserId:N}/{message.Chain.UtcTicks}/{message.Slot.UtcTicks}", message.UserId, now));
        try
        {
            await claim.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return false;
        }
    }
}
