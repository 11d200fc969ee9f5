using MimeKit;

namespace MailAccounts.Infrastructure.Verification;

/// <summary>
/// Which messages of a folder are worth reading whole for a bounce, from their header fields alone: the check
/// reads every new message's header, and only these messages' bodies. Generous on purpose: the detector decides,
/// this only spares the bodies of ordinary mail.
/// </summary>
public static class BounceCandidates
{
    private static readonly string[] Senders =
    [
        "mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "mail-delivery-subsystem", "mail.delivery.system",
        "microsoftexchange", "noreply-dmarc", "bounce", "bounces", "nobody",
    ];

    private static readonly string[] Subjects =
    [
        "undeliver", "undelivered", "delivery status", "delivery failure", "delivery failed", "delivery has failed", "delivery notification",
        "delivery problem", "returned mail", "returned to sender", "failure notice", "mail delivery", "non-delivery", "nondeliverable",
        "not delivered", "could not be delivered", "message not delivered", "failed delivery", "mail system error", "rejected",
        "warning: could not send", "delayed mail", "delivery delayed", "auto", "out of office", "vacation",
        "недостав", "не доставлен", "не удалось доставить", "возврат", "автоответ",
    ];

    public static bool IsCandidate(HeaderList headers)
    {
        if (headers[HeaderId.ContentType] is { } type && type.Contains("multipart/report", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (headers[HeaderId.ReturnPath] is { } returnPath && returnPath.Trim() is "<>" or "")
        {
            return true;
        }

        if (headers.Contains("X-Failed-Recipients") || headers.Contains(HeaderId.AutoSubmitted) || headers.Contains("X-Autoreply")
            || headers.Contains("X-Autorespond"))
        {
            return true;
        }

        var from = (headers[HeaderId.From] ?? "").ToLowerInvariant();
        if (Senders.Any(s => from.Contains(s + "@", StringComparison.Ordinal) || from.Contains("<" + s, StringComparison.Ordinal)
                || from.StartsWith(s, StringComparison.Ordinal)))
        {
            return true;
        }

        var subject = Decoded(headers[HeaderId.Subject]).ToLowerInvariant();
        return Subjects.Any(s => subject.Contains(s, StringComparison.Ordinal));
    }

    private static string Decoded(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        try
        {
            return MimeKit.Utils.Rfc2047.DecodeText(System.Text.Encoding.UTF8.GetBytes(value));
        }
        catch (ArgumentException)
        {
            return value;
        }
    }
}
