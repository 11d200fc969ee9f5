namespace MailAccounts.Specs.Support;

/// <summary>
/// The machine's time plus an offset that a spec moves on, never back: a server given this clock sees time pass
/// (a token expire) without the spec waiting for it.
/// </summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "Time only moves on.");
        }

        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
