using System.Text.RegularExpressions;
using Marten;
using MailAccounts.Domain.Bounces;
using MailAccounts.Domain.Verification;
using MailAccounts.Infrastructure.Mail;
using MailAccounts.Infrastructure.Sending;

namespace MailAccounts.Infrastructure.Verification;

/// <summary>
/// A recipient the outgoing server refused for good at RCPT TO, while the system sent: taken like a bounce of the
/// message, from the server's own answer. Only 550, 551 and 553 speak of the recipient; what the answer's words and
/// status say decides as for a report (a 5.7.x policy refusal says nothing about the address, and marks nothing).
/// </summary>
public static partial class SendRefusals
{
    private static readonly int[] RecipientCodes = [550, 551, 553];

    public static async Task RecordAsync(
        IDocumentStore store, OutgoingMail mail, IReadOnlyList<RefusedRecipient> refused, VerificationRules rules, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        foreach (var refusal in refused.Where(r => RecipientCodes.Contains(r.ReplyCode)))
        {
            var status = EnhancedStatus().Match(refusal.Words) is { Success: true } match ? match.Value : null;
            var words = $"{refusal.ReplyCode} {refusal.Words}".Trim();
            var (reason, kind) = BounceReasons.Classify(status, refusal.ReplyCode, words);
            var bounce = new BouncedRecipient(refusal.Address, kind, reason, status, refusal.ReplyCode, words);
            var evidence = new BounceEvidence(BounceSource.Smtp, mail.AccountId, mail.Id, mail.MessageId ?? "", null, 0, 0, null, now);
            await AddressEvents.DecideAsync(store, refusal.Address, state => AddressVerification.Bounced(state, bounce, evidence, rules, now), cancellationToken);
        }
    }

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedStatus();
}
