using System.Threading.RateLimiting;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// Connection tests and test e-mails make the server talk to other servers; one user may run only so many a
/// minute, so that the product cannot be used to hammer a mail server or to guess passwords.
/// </summary>
public sealed class MailTestLimiter(MailOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<Guid> _limiter = PartitionedRateLimiter.Create<Guid, Guid>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.TestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
        }));

    public bool TryAcquire(Guid userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
