using System.Globalization;
using MailAccounts.Domain.Bounces;
using MailAccounts.Infrastructure.Bounces;
using MimeKit;

namespace MailAccounts.WebHost.Diagnostics;

/// <summary>
/// <c>dotnet run --project WebHost -- bounce-check FILE…</c>: for each message file, whether the product's detector
/// takes it for a bounce and, if so, each bounced recipient with its class, status and reason; otherwise what it is and
/// why. Runs before the host is built: no database, no local servers. Exit code 0, or 2 when a file is missing (the
/// others are still read).
/// </summary>
public static class BounceCheckVerb
{
    public const string Name = "bounce-check";

    public static int Run(IReadOnlyList<string> files, TextWriter output, TextWriter error)
    {
        if (files.Count == 0)
        {
            error.WriteLine("Usage: bounce-check FILE… (one or more message files: .eml, .msg or raw RFC 5322 text)");
            return 2;
        }

        var missing = false;
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                error.WriteLine($"{file}: no such file");
                missing = true;
                continue;
            }

            var (report, subject) = Read(file);
            foreach (var line in Describe(file, report, subject))
            {
                output.WriteLine(line);
            }
        }

        return missing ? 2 : 0;
    }

    /// <summary>The detector's reading and the message's decoded subject; a file MimeKit cannot parse has no subject and is read as text.</summary>
    private static (BounceReport Report, string? Subject) Read(string file)
    {
        var bytes = File.ReadAllBytes(file);
        try
        {
            var message = MimeMessage.Load(new MemoryStream(bytes));
            return (BounceDetector.Read(message), message.Subject);
        }
        catch (FormatException)
        {
            return (BounceDetector.Read(new MemoryStream(bytes)), null);
        }
    }

    /// <summary>
    /// The reading in lines: the file and its verdict, the subject (so that a shell user checking many files knows each),
    /// then one line per recipient, then the links to the sent mail.
    /// </summary>
    public static IEnumerable<string> Describe(string file, BounceReport report, string? subject)
    {
        yield return report.IsBounce
            ? $"{file}: bounce ({report.Format}), {report.Recipients.Count} recipient(s)"
            : $"{file}: not a bounce ({KindName(report.Kind)})";
        if (!string.IsNullOrEmpty(subject))
        {
            yield return "  subject: " + subject;
        }

        foreach (var recipient in report.Recipients)
        {
            var code = recipient.ReplyCode?.ToString(CultureInfo.InvariantCulture) ?? "-";
            yield return $"  {recipient.Address}  {ClassName(recipient.Class)}  status {recipient.Status ?? "-"}  reply {code}  reason {recipient.Reason}"
                + (recipient.Diagnostic.Length > 0 ? $"  said: {recipient.Diagnostic}" : "");
        }

        yield return "  why: " + report.Why;
        if (report.OriginalMessageId is { } messageId)
        {
            yield return $"  original Message-ID: <{messageId}>";
        }

        if (report.EnvelopeId is { } envelopeId)
        {
            yield return "  envelope id: " + envelopeId;
        }
    }

    public static string ClassName(BounceClass cls) => cls switch
    {
        BounceClass.Hard => "hard",
        BounceClass.Soft => "soft",
        _ => "sender-side",
    };

    public static string KindName(ReportKind kind) => kind switch
    {
        ReportKind.Bounce => "bounce",
        ReportKind.Delayed => "delayed",
        ReportKind.AutoReply => "auto-reply",
        ReportKind.ReadReceipt => "read receipt",
        ReportKind.Complaint => "complaint",
        ReportKind.Challenge => "challenge",
        _ => "ordinary mail",
    };
}
