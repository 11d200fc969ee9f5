using System.Text;
using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Sending;

/// <summary>What the user wrote in the compose form.</summary>
public sealed record DraftForm(string? To, string? Cc, string? Bcc, string? Subject, string? Body, bool PlainText);

/// <summary>The recipients of a draft that may be sent.</summary>
public sealed record Addressees(IReadOnlyList<Recipient> To, IReadOnlyList<Recipient> Cc, IReadOnlyList<Recipient> Bcc)
{
    public int Count => To.Count + Cc.Count + Bcc.Count;
}

public static class Drafts
{
    /// <summary>Recipients of one message when the configuration says nothing (<c>Mail:MaxRecipients</c>).</summary>
    public const int DefaultMaxRecipients = 100;

    /// <summary>
    /// Whether a draft may be sent: at least one recipient, every entry of every address field an address,
    /// and attachments within the limit. Every broken rule at once, on the field the user can correct.
    /// </summary>
    public static (Addressees? Addressees, IReadOnlyList<Violation> Violations) Check(
        DraftForm form, long attachmentBytes, long maxAttachmentBytes, int maxRecipients = DefaultMaxRecipients)
    {
        var violations = new List<Violation>();
        var to = Field(nameof(form.To), form.To, violations);
        var cc = Field(nameof(form.Cc), form.Cc, violations);
        var bcc = Field(nameof(form.Bcc), form.Bcc, violations);
        var addressees = new Addressees(to, cc, bcc);
        if (addressees.Count == 0 && violations.Count == 0)
        {
            violations.Add(new(nameof(form.To), SendingViolations.RecipientRequired));
        }
        else if (addressees.Count > maxRecipients)
        {
            violations.Add(new(nameof(form.To), SendingViolations.TooManyRecipients, maxRecipients.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (attachmentBytes > maxAttachmentBytes)
        {
            violations.Add(new("Attachments", SendingViolations.AttachmentsTooLarge));
        }

        return violations.Count == 0 ? (addressees, []) : (null, violations);
    }

    /// <summary>
    /// The subject as one line. A browser never posts a line break in it, but a crafted form could, and a
    /// break would let the rest of the line become a header of its own.
    /// </summary>
    public static string Subject(string? subject)
    {
        var line = new StringBuilder(subject?.Length ?? 0);
        foreach (var c in subject ?? "")
        {
            line.Append(char.IsControl(c) ? ' ' : c);
        }

        return line.ToString().Trim();
    }

    public static string ReplySubject(string? original) => Prefixed("Re:", original);

    public static string ForwardSubject(string? original) => Prefixed("Fwd:", original);

    /// <summary>
    /// The References of a reply: the original's references and its own Message-ID. Long threads keep the
    /// first and the most recent, as RFC 5322 suggests, so that the header cannot grow without end.
    /// </summary>
    public static IReadOnlyList<string> ReplyReferences(IReadOnlyList<string> originalReferences, string? originalMessageId)
    {
        var all = originalReferences.Where(r => r.Length > 0).ToList();
        if (!string.IsNullOrEmpty(originalMessageId) && !all.Contains(originalMessageId))
        {
            all.Add(originalMessageId);
        }

        const int Kept = 20;
        return all.Count <= Kept ? all : [all[0], .. all.Skip(all.Count - (Kept - 1))];
    }

    /// <summary>
    /// Reply all: the original's reply address (Reply-To, else From) in To, with its other To recipients; its Cc
    /// stays Cc. The user's own addresses are left out, and nobody appears twice.
    /// </summary>
    public static Addressees ReplyAll(
        IReadOnlyList<Recipient> replyTo, IReadOnlyList<Recipient> originalTo, IReadOnlyList<Recipient> originalCc, IReadOnlyCollection<string> ownAddresses)
    {
        var seen = new HashSet<string>(ownAddresses, StringComparer.OrdinalIgnoreCase);
        var to = replyTo.Concat(originalTo).Where(r => seen.Add(r.Address)).ToArray();
        var cc = originalCc.Where(r => seen.Add(r.Address)).ToArray();
        if (to.Length == 0 && replyTo.Count > 0)
        {
            // Replying to one's own message: the reply goes to whom it went to, or back to oneself.
            to = [replyTo[0]];
        }

        return new Addressees(to, cc, []);
    }

    private static IReadOnlyList<Recipient> Field(string name, string? value, List<Violation> violations)
    {
        var list = Recipients.Parse(value);
        if (list.Malformed.Count > 0)
        {
            violations.Add(new(name, SendingViolations.AddressMalformed, string.Join(", ", list.Malformed)));
        }

        return list.Recipients;
    }

    private static string Prefixed(string prefix, string? original)
    {
        var subject = Subject(original);
        return subject.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? subject : $"{prefix} {subject}".TrimEnd();
    }
}

public static class SendingViolations
{
    public const string RecipientRequired = "Sending.RecipientRequired";
    public const string AddressMalformed = "Sending.AddressMalformed";
    public const string TooManyRecipients = "Sending.TooManyRecipients";
    public const string AttachmentsTooLarge = "Sending.AttachmentsTooLarge";
    public const string TooManyDrafts = "Sending.TooManyDrafts";
    public const string DraftsTooLarge = "Sending.DraftsTooLarge";
    public const string TooManySends = "Sending.TooManySends";
    public const string AccountCannotSend = "Sending.AccountCannotSend";
    public const string AlreadySent = "Sending.AlreadySent";
    public const string OriginalGone = "Sending.OriginalGone";

    /// <summary>No such message of this user: another user's looks the same.</summary>
    public const string Unknown = "Sending.Unknown";
}
