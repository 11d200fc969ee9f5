using MailAccounts.Domain.Verification;

namespace MailAccounts.Infrastructure.Verification;

/// <summary>The <c>Verification</c> section of the configuration.</summary>
public sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>How many soft bounces, on different days, mark an address invalid.</summary>
    public int SoftBounces { get; set; } = VerificationRules.Default.SoftBounces;

    /// <summary>Within how many days those soft bounces must fall.</summary>
    public int WindowDays { get; set; } = VerificationRules.Default.WindowDays;

    /// <summary>
    /// How far back the first look at a folder reads: bounces older than this are of mail long gone, and a large
    /// mailbox is not read from its beginning.
    /// </summary>
    public int FirstLookDays { get; set; } = 30;

    /// <summary>A POP3 inbox has no dates to search: its first look reads at most this many of its newest messages.</summary>
    public int FirstLookPop3Messages { get; set; } = 500;

    public VerificationRules Rules => new(Math.Max(1, SoftBounces), Math.Max(1, WindowDays));
}
