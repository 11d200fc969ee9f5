using System.Threading.RateLimiting;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>So many permits per user and minute: what one user may make the server do to mail servers.</summary>
public abstract class PerUserLimiter(int permitsPerMinute) : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _limiter = PartitionedRateLimiter.Create<Guid, Guid>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permitsPerMinute),
            Window = TimeSpan.FromMinutes(1),
        }));

    public int PermitsPerMinute => permitsPerMinute;

    public bool TryAcquire(Guid userId) => TryAcquire(userId, out _);

    /// <summary>A permit, or how long until the next one (the window's rest, as the limiter says), so the page can say when to try again.</summary>
    public bool TryAcquire(Guid userId, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        retryAfter = !lease.IsAcquired && lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.Zero;
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Connection tests and test e-mails make the server talk to other servers; one user may run only so many a
/// minute, so that the product cannot be used to hammer a mail server or to guess passwords.
/// </summary>
public sealed class MailTestLimiter(MailOptions options) : PerUserLimiter(options.TestsPerMinute);

/// <summary>Messages one user may send a minute (<c>Mail:SendsPerMinute</c>): a hijacked session cannot spam at the relay's speed.</summary>
public sealed class MailSendLimiter(MailOptions options) : PerUserLimiter(options.SendsPerMinute);

/// <summary>
/// Pages that sign in to a mail server, per user and minute (<c>Mail:ReadsPerMinute</c>): a script cannot make the
/// product log in to a shared mailbox again and again and trip the provider's connection limits.
/// </summary>
public sealed class MailReadLimiter(MailOptions options) : PerUserLimiter(options.ReadsPerMinute);
