using System.Text;
using System.Text.RegularExpressions;
using MailAccounts.Domain.Bounces;
using MimeKit;

namespace MailAccounts.Infrastructure.Bounces;

/// <summary>
/// Reads a message and says whether it is a bounce, and of whom: its structure first (an RFC 3464 / RFC 6533 delivery
/// status), then the known non-standard formats by their wording, and what only looks like one (auto-replies, read
/// receipts, complaints, challenges) is not. Pure reading: no server, no database; the CLI verb, the Diagnostics page
/// and the mail check all call exactly this.
/// </summary>
public static partial class BounceDetector
{
    /// <summary>Reads a raw message; one MimeKit cannot parse is read as text by the heuristics.</summary>
    public static BounceReport Read(Stream raw)
    {
        using var copy = new MemoryStream();
        raw.CopyTo(copy);
        copy.Position = 0;
        try
        {
            return Read(MimeMessage.Load(ParserOptions.Default, copy));
        }
        catch (FormatException)
        {
            var text = Encoding.Latin1.GetString(copy.ToArray());
            IReadOnlyList<BouncedRecipient> recipients;
            try
            {
                recipients = TextRecipients(text, null, null);
            }
            catch (RegexMatchTimeoutException)
            {
                recipients = [];
            }

            return recipients.Count > 0
                ? new BounceReport(ReportKind.Bounce, recipients, ReturnedMessageIdInText(text, null), null, "text", "Not a parsable message; its text names failed recipients.")
                : BounceReport.Not(ReportKind.NotABounce, "Not a parsable message, and its text names no failed recipient.");
        }
    }

    public static BounceReport Read(MimeMessage message)
    {
        try
        {
            return Reading(message);
        }
        catch (RegexMatchTimeoutException)
        {
            // Every pattern has a time limit: a hostile text gets no verdict rather than a stuck reader.
            return BounceReport.Not(ReportKind.NotABounce, "The message's text could not be read in time; it is not taken for a bounce.");
        }
    }

    private static BounceReport Reading(MimeMessage message)
    {
        if (Challenge(message) is { } challenge)
        {
            return BounceReport.Not(ReportKind.Challenge, challenge);
        }

        var statuses = message.BodyParts.OfType<MessageDeliveryStatus>().ToList();
        if (statuses.Count == 0 && (FromDaemon(message) || BounceSubject().IsMatch(message.Subject ?? "")))
        {
            // Some gateways wrap the DSN itself as an attachment of a notice of their own.
            statuses = message.BodyParts.OfType<MessagePart>().Where(p => p.Message is not null)
                .SelectMany(p => p.Message!.BodyParts.OfType<MessageDeliveryStatus>()).ToList();
        }

        if (statuses.Count > 0)
        {
            var dsn = FromDeliveryStatus(message, statuses);
            if (dsn is not null)
            {
                return dsn;
            }
        }

        if (message.BodyParts.OfType<MessageFeedbackReport>().Any() || ReportType(message) == "feedback-report")
        {
            return BounceReport.Not(ReportKind.Complaint, "A complaint (RFC 5965 feedback report), not a bounce.");
        }

        var fromDaemon = FromDaemon(message) || ReportType(message) is "delivery-status" or "global-delivery-status";
        if (!fromDaemon && AutoReply(message) is { } auto)
        {
            return BounceReport.Not(ReportKind.AutoReply, auto);
        }

        var mdn = message.BodyParts.OfType<MessageDispositionNotification>().FirstOrDefault();
        if (mdn is not null && !Failed(mdn, message))
        {
            return BounceReport.Not(ReportKind.ReadReceipt, "A read receipt (RFC 8098 disposition notification), not a bounce.");
        }

        if (fromDaemon || BounceSubject().IsMatch(message.Subject ?? "") || mdn is not null)
        {
            var text = OwnText(message);
            var recipients = TextRecipients(text, message, Domain(message.From.Mailboxes.FirstOrDefault()?.Address));
            if (recipients.Count > 0)
            {
                return new BounceReport(ReportKind.Bounce, recipients, ReturnedMessageId(message), null, FormatOf(text, message),
                    "No delivery status part; the wording of a known non-standard format names the failed recipients.");
            }
        }

        if (AutoReply(message) is { } reply)
        {
            return BounceReport.Not(ReportKind.AutoReply, reply);
        }

        return BounceReport.Not(ReportKind.NotABounce, fromDaemon
            ? "From a mail system, but it names no recipient whose delivery failed."
            : "Ordinary mail: no delivery status and no wording of a failed delivery.");
    }

    private static BounceReport? FromDeliveryStatus(MimeMessage message, List<MessageDeliveryStatus> statuses)
    {
        var failed = new List<BouncedRecipient>();
        var delayed = new List<BouncedRecipient>();
        string? envelopeId = null;
        foreach (var status in statuses)
        {
            var groups = status.StatusGroups;
            for (var i = 0; i < groups.Count; i++)
            {
                var group = groups[i];
                envelopeId ??= Value(group["Original-Envelope-Id"]);
                // Original-Recipient is the address the mail was sent to; Final-Recipient may be an alias's target.
                var address = Address(Value(group["Original-Recipient"])) ?? Address(Value(group["Final-Recipient"]));
                if (address is null)
                {
                    continue;
                }

                var action = (group["Action"] ?? "").Trim().ToLowerInvariant();
                var enhanced = BounceReasons.StatusIn(group["Status"]);
                var diagnostic = Unfold(Value(group["Diagnostic-Code"]) ?? "");
                var code = BounceReasons.ReplyCodeIn(diagnostic);
                enhanced ??= BounceReasons.StatusIn(diagnostic);
                if (action.StartsWith("failed", StringComparison.Ordinal) || (action.Length == 0 && enhanced is ['5', ..]))
                {
                    var (reason, cls) = BounceReasons.Classify(enhanced, code, diagnostic);
                    failed.Add(new BouncedRecipient(address, cls, reason, enhanced, code, diagnostic));
                }
                else if (action.StartsWith("delayed", StringComparison.Ordinal))
                {
                    var (reason, _) = BounceReasons.Classify(enhanced, code, diagnostic);
                    delayed.Add(new BouncedRecipient(address, BounceClass.Soft, reason, enhanced, code, diagnostic));
                }
            }
        }

        var messageId = ReturnedMessageId(message);
        if (failed.Count > 0)
        {
            return new BounceReport(ReportKind.Bounce, Distinct(failed), messageId, envelopeId, "dsn",
                "A delivery status notification (RFC 3464) with Action: failed.");
        }

        if (delayed.Count > 0)
        {
            return new BounceReport(ReportKind.Delayed, Distinct(delayed), messageId, envelopeId, "dsn",
                "A delivery status notification that says delivery is delayed and still being tried: a warning, not a bounce.");
        }

        return null;
    }

    /// <summary>
    /// A disposition notification that is a refusal, not a receipt: a failure, or a message deleted by the recipient's
    /// delivery agent and said so as a rejection (Dovecot's Sieve reject, "Quota exceeded").
    /// </summary>
    private static bool Failed(MessageDispositionNotification mdn, MimeMessage message) =>
        (mdn.Fields["Disposition"] ?? "").Contains("failed", StringComparison.OrdinalIgnoreCase)
        || mdn.Fields["Failure"] is not null
        || ((mdn.Fields["Disposition"] ?? "").Contains("deleted", StringComparison.OrdinalIgnoreCase)
            && ((message.Headers["Auto-Submitted"] ?? "") + " " + message.Subject).Contains("rejected", StringComparison.OrdinalIgnoreCase));

    private static string? ReportType(MimeMessage message) =>
        message.Body is MultipartReport report ? report.ReportType?.ToLowerInvariant() : null;

    private static string? Challenge(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? "";
        if (from.EndsWith("@boxbe.com", StringComparison.OrdinalIgnoreCase) || message.Headers.Contains("X-Boxbe-Notice"))
        {
            return "A challenge from Boxbe (asks the sender to join a guest list), not a bounce.";
        }

        if (message.Headers.Contains("X-Bluebottle-Request") || from.Contains("bluebottle", StringComparison.OrdinalIgnoreCase))
        {
            return "A challenge from Bluebottle (asks the sender to confirm), not a bounce.";
        }

        var text = OwnText(message);
        return ChallengeWords().IsMatch(text)
            ? "A challenge/response message (asks the sender to confirm they are a person), not a bounce."
            : null;
    }

    private static string? AutoReply(MimeMessage message)
    {
        var submitted = message.Headers["Auto-Submitted"];
        if (submitted is not null && !submitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"An automatic reply (Auto-Submitted: {submitted.Trim()}), not a bounce.";
        }

        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond") || message.Headers.Contains("X-Autoresponse"))
        {
            return "An automatic reply (X-Autoreply), not a bounce.";
        }

        if ((message.Headers["Precedence"] ?? "").Trim().Equals("auto_reply", StringComparison.OrdinalIgnoreCase))
        {
            return "An automatic reply (Precedence: auto_reply), not a bounce.";
        }

        if ((message.Headers["X-Apple-Action"] ?? "").Contains("vacation", StringComparison.OrdinalIgnoreCase))
        {
            return "An automatic reply (X-Apple-Action: vacation), not a bounce.";
        }

        return AutoReplySubject().IsMatch(message.Subject ?? "") ? $"An automatic reply (subject \"{message.Subject}\"), not a bounce." : null;
    }

    private static bool FromDaemon(MimeMessage message) =>
        message.From.Mailboxes.Concat(message.Sender is null ? [] : [message.Sender]).Any(m =>
            DaemonAddress().IsMatch(m.Address ?? "") || DaemonName().IsMatch(m.Name ?? ""))
        || (message.Headers["Return-Path"] ?? "x").Trim() == "<>"
        || DaemonAddress().IsMatch((message.Headers["Return-Path"] ?? "").Trim().Trim('<', '>'))
        || (message.Headers["Auto-Submitted"] ?? "").Contains("failure", StringComparison.OrdinalIgnoreCase);

    /// <summary>The report's own text: its text parts, not the returned message, cut where a copy of it starts.</summary>
    private static string OwnText(MimeMessage message)
    {
        var text = new StringBuilder();
        Collect(message.Body, text);
        var all = text.ToString();
        var cut = ReturnedCopyMarker().Match(all);
        return cut.Success ? all[..cut.Index] : all;
    }

    private static void Collect(MimeEntity? entity, StringBuilder text)
    {
        switch (entity)
        {
            case MultipartAlternative alternative:
                Collect(alternative.FirstOrDefault(p => p is TextPart { IsPlain: true }) ?? alternative.FirstOrDefault(), text);
                break;
            case Multipart multipart:
                foreach (var part in multipart)
                {
                    Collect(part, text);
                }

                break;
            case MessagePart:
                break;
            case TextPart { IsHtml: true } html:
                text.AppendLine(System.Net.WebUtility.HtmlDecode(Tags().Replace(LineBreaks().Replace(html.Text ?? "", "\n"), "")));
                break;
            case TextPart part when !part.ContentType.MimeType.Contains("rfc822", StringComparison.OrdinalIgnoreCase):
                text.AppendLine(part.Text);
                break;
        }
    }

    /// <summary>
    /// The failed recipients named in a non-standard report's text. An address counts when the text around it says a
    /// delivery failed (an introduction like "could not be delivered to the following addresses" before it, or
    /// failure words on its line or just after), and it is not the report's own sender or addressee.
    /// </summary>
    internal static IReadOnlyList<BouncedRecipient> TextRecipients(string text, MimeMessage? message, string? reportingDomain)
    {
        var own = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (message is not null)
        {
            foreach (var mailbox in message.From.Mailboxes.Concat(message.To.Mailboxes).Concat(message.Sender is null ? [] : [message.Sender]))
            {
                own.Add(mailbox.Address);
            }
        }

        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var found = new List<BouncedRecipient>();
        var introducedAt = -100;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (Introduction().IsMatch(line))
            {
                introducedAt = i;
            }
            else if (Separator().IsMatch(line))
            {
                // The list of failed addresses ends where the report starts its next section.
                introducedAt = -100;
            }

            // "not accepting mail from <sender>" names the sender, not a recipient.
            var addresses = AddressPattern().Matches(line).Where(m => !SenderBefore().IsMatch(line[..m.Index]))
                .Select(m => Cleaned(m.Groups[1].Value)).ToList();
            if (addresses.Count == 0 && reportingDomain is not null && i - introducedAt is > 0 and < 6 && BareLocalPart().Match(line) is { Success: true } bare)
            {
                // AOL lists screen names alone: they are addresses at the reporting domain.
                addresses.Add(bare.Groups[1].Value + "@" + reportingDomain);
            }

            foreach (var address in addresses)
            {
                if (own.Contains(address) || DaemonAddress().IsMatch(address) || found.Any(f => f.Address.Equals(address, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var context = Context(lines, i);
                // qmail and its kind list each failed address alone on its line, as "<address>:".
                var introduced = i - introducedAt is >= 0 and < 25 || QmailLine().IsMatch(line);
                if (!introduced && !FailureWords().IsMatch(context))
                {
                    continue;
                }

                var diagnostic = Unfold(context);
                var (reason, cls) = BounceReasons.Classify(BounceReasons.StatusIn(diagnostic), BounceReasons.ReplyCodeIn(diagnostic), diagnostic);
                found.Add(new BouncedRecipient(address, cls, reason, BounceReasons.StatusIn(diagnostic), BounceReasons.ReplyCodeIn(diagnostic), diagnostic));
            }
        }

        return found;
    }

    /// <summary>The address's line and the lines after it up to a blank line or the next address (at most four).</summary>
    private static string Context(string[] lines, int at)
    {
        var context = new StringBuilder(lines[at].Trim());
        for (var j = at + 1; j < lines.Length && j <= at + 4; j++)
        {
            if (string.IsNullOrWhiteSpace(lines[j]) && j > at + 1)
            {
                break;
            }

            if (AddressPattern().IsMatch(lines[j]) && !lines[j].TrimStart().StartsWith("RCPT", StringComparison.OrdinalIgnoreCase)
                && !ReplyLine().IsMatch(lines[j]))
            {
                break;
            }

            context.Append(' ').Append(lines[j].Trim());
        }

        return context.ToString().Trim();
    }

    private static string FormatOf(string text, MimeMessage message) =>
        text.Contains("qmail-send", StringComparison.OrdinalIgnoreCase) ? "qmail"
        : text.Contains("This message was created automatically by mail delivery software", StringComparison.OrdinalIgnoreCase) ? "exim"
        : text.Contains("The following addresses had permanent fatal errors", StringComparison.OrdinalIgnoreCase) ? "sendmail"
        : text.Contains("This is the mail system at host", StringComparison.OrdinalIgnoreCase) ? "postfix"
        : message.Headers["X-Mailer"]?.Contains("SMTP32", StringComparison.OrdinalIgnoreCase) == true ? "smtp32"
        : (message.From.Mailboxes.FirstOrDefault()?.Address ?? "").Contains("yahoo", StringComparison.OrdinalIgnoreCase) ? "yahoo"
        : (message.From.Mailboxes.FirstOrDefault()?.Address ?? "").Contains("aol.com", StringComparison.OrdinalIgnoreCase) ? "aol"
        : "text";

    /// <summary>The Message-ID of the message that failed: from the returned message or its headers, or its text.</summary>
    internal static string? ReturnedMessageId(MimeMessage message)
    {
        foreach (var part in message.BodyParts)
        {
            switch (part)
            {
                case MessagePart { Message: { } returned } when returned.MessageId is { Length: > 0 } id:
                    return id;
                case MimePart mime when mime.ContentType.MimeType.Equals("message/rfc822", StringComparison.OrdinalIgnoreCase)
                    || mime.ContentType.MimeType.Equals("text/rfc822-headers", StringComparison.OrdinalIgnoreCase):
                    // A transfer-encoded returned message is an opaque part: decode it and read it again.
                    using (var decoded = new MemoryStream())
                    {
                        mime.Content?.DecodeTo(decoded);
                        decoded.Position = 0;
                        try
                        {
                            if (MimeMessage.Load(decoded).MessageId is { Length: > 0 } inner)
                            {
                                return inner;
                            }
                        }
                        catch (FormatException)
                        {
                        }
                    }

                    break;
            }
        }

        var all = new StringBuilder();
        foreach (var text in message.BodyParts.OfType<TextPart>())
        {
            all.AppendLine(text.Text);
        }

        return ReturnedMessageIdInText(all.ToString(), message.MessageId);
    }

    private static string? ReturnedMessageIdInText(string text, string? own)
    {
        foreach (Match match in MessageIdInText().Matches(text))
        {
            var id = match.Groups[1].Value.Trim().Trim('<', '>');
            if (!id.Equals(own, StringComparison.OrdinalIgnoreCase))
            {
                return id;
            }
        }

        return null;
    }

    private static IReadOnlyList<BouncedRecipient> Distinct(List<BouncedRecipient> recipients) =>
        recipients.GroupBy(r => r.Address, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();

    /// <summary>The value after a DSN field's type (<c>rfc822; a@b</c>, <c>smtp; 550 …</c>).</summary>
    private static string? Value(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        var semicolon = field.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? field[(semicolon + 1)..] : field).Trim();
    }

    private static string? Address(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var match = AddressPattern().Match(value);
        return match.Success ? match.Groups[1].Value.Trim('.', ',', ';', ':') : null;
    }

    /// <summary>An address as a report writes it, without the X.400 prefix Exchange puts before it (<c>SMTP=</c>).</summary>
    private static string Cleaned(string address)
    {
        address = address.Trim('.', ',', ';', ':', '\'', '"');
        var prefix = SmtpPrefix().Match(address);
        return prefix.Success ? address[prefix.Length..] : address;
    }

    private static string Unfold(string text) => Blanks().Replace(text, " ").Trim();

    private static string? Domain(string? address) =>
        address is not null && address.LastIndexOf('@') is var at and > 0 ? address[(at + 1)..] : null;

    [GeneratedRegex(@"(?<![\w.+-])([\w.+'=#&/%!-]+@[\w-]+(?:\.[\w-]+)+|[\w.+'=&/%!-]+@#[\w.-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();

    [GeneratedRegex(@"(?:mail|accepting|messages?) from\s*<?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SenderBefore();

    [GeneratedRegex(@"^(?:SMTP|RFC-?822)=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SmtpPrefix();

    [GeneratedRegex(@"^\s*([a-z][a-z0-9._-]{1,63})\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareLocalPart();

    [GeneratedRegex(@"^\s*(?:-{4,}|={4,}|_{4,})", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^\s*<[^<>\s]+@[^<>\s]+>:\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex QmailLine();

    [GeneratedRegex(@"^\s*\d{3}[ -]", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyLine();

    [GeneratedRegex(@"^(?:mailer[-_]?daemon|postmaster|mail[-_]?delivery|mdaemon|bounces?|nobody-bounce|microsoftexchange[0-9a-f]*)@|^MAILER-DAEMON$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DaemonAddress();

    [GeneratedRegex(@"mail delivery (?:subsystem|system|service)|mailer[- ]daemon|postmaster|mail administrator|mail system", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DaemonName();

    [GeneratedRegex(@"undeliver|undelivered|not delivered|delivery (?:status|failure|failed|problem|report|notification)|returned mail|failure notice|mail delivery|nondeliverable|non-delivery|could not be delivered|permanent error|delivery error|mail system error|returned to sender|rejected|error sending|^failed|NDN|не доставлено|недоставлен", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"^\s*(?:auto(?:matic)?[ -]?(?:reply|response|answer)|auto:|out of (?:the )?office|abwesenheit|réponse automatique|autoreply|autoresponse|vacation|on vacation|away from|odpowiedź automatyczna|автоответ)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutoReplySubject();

    [GeneratedRegex(@"requires? confirmation|not pre-?approved|guest list|verify (?:that )?you are (?:a )?(?:human|person)|challenge[- ]response|whitelist request|please confirm (?:that )?you|to have your message delivered,? (?:please )?(?:click|reply)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChallengeWords();

    [GeneratedRegex(@"(?:following (?:recipients?|addresses|address\(es\)|destination)|could not be delivered to|couldn't be delivered to|permanent fatal errors|unable to deliver|undeliverable to|delivery to the following|failed recipient|not be delivered|message (?:was )?not delivered|wasn't able to deliver|permanent error|failed:|delivery has failed|did not reach|could not deliver|unknown user|user unknown|no such user|addressee unknown|recipients? (?:failed|rejected)|bad address|invalid address|was rejected|delivery failed|возникла ошибка|не удалось доставить|недоставлено)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Introduction();

    [GeneratedRegex(@"unknown|no such|not (?:found|exist|known|valid|listed|accepting)|does ?n[o']t exist|invalid|unavailable|disabled|did not (?:exactly )?match|n'existe pas|rejected|refused|denied|failed|failure|undeliverable|could not|couldn't|unable|permanent|error|bad|illegal|quota|full|\b5\d\d\b|\b5\.\d\.\d|expired|unrouteable|suspended|inactive|нет|не существует|ошибка", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FailureWords();

    [GeneratedRegex(@"^[ \t>]*(?:-+ ?(?:Below this line is a copy of the message|Original message follows|Original message|Forwarded message|The original message|Message header follows|Returned message|Unsent Message below|Transcript of session follows)|-+ ?(?:This is a copy of the message|Original Message|Returned mail|original message follows)|Original message follows\.?|Your original message|------ This is a copy of the message|Received: from|Return-Path: )", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ReturnedCopyMarker();

    [GeneratedRegex(@"^\s*Message-ID:\s*(<[^>\s]+>|\S+@\S+)", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex MessageIdInText();

    [GeneratedRegex(@"<br\s*/?>|</p>|</div>|</tr>|</li>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Blanks();
}
