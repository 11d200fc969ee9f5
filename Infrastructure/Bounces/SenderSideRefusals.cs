using Marten;
using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Verification;

namespace MailAccounts.Infrastructure.Bounces;

/// <summary>
/// The deliverability warnings for administrators: the latest refusals of the sender or the message (blocked,
/// reputation, spam, policy, authentication, relaying), newest first. They never mark an address, so they are read
/// from the bounce events themselves rather than from the addresses' state.
/// </summary>
public static class SenderSideRefusals
{
    public const int Shown = 50;

    public static async Task<IReadOnlyList<AddressBounced>> LatestAsync(IQuerySession session, CancellationToken cancellationToken) =>
        await session.Events.QueryRawEventDataOnly<AddressBounced>()
            .Where(e => e.Class == BounceClass.SenderSide)
            .OrderByDescending(e => e.At)
            .Take(Shown)
            .ToListAsync(cancellationToken);
}
