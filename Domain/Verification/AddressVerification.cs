using System.Security.Cryptography;
using System.Text;
using MailAccounts.Domain.Bounces;

namespace MailAccounts.Domain.Verification;

/// <summary>
/// What the system learnt about whether an address takes mail, on a stream per address (not per contact: an
/// address is marked the same wherever it appears, whether or not a contact holds it). Not settings changes: the
/// settings audit does not list them; the contact's History does.
/// </summary>
public interface IVerificationEvent
{
    string Address { get; }

    DateTimeOffset At { get; }
}

public enum BounceSource
{
    /// <summary>A delivery status notification found in a monitored folder.</summary>
    Report,

    /// <summary>The outgoing server refused the recipient at RCPT while the system sent.</summary>
    Smtp,
}

/// <summary>
/// Where a bounce came from: the sent message it refers to and, for a report, the folder, UIDVALIDITY and UID of the
/// report itself (a link to it). <paramref name="ReportDate"/> is the report's own date (or when the refusal was heard).
/// </summary>
public sealed record BounceEvidence(
    BounceSource Source,
    Guid AccountId,
    Guid SentMailId,
    string SentMessageId,
    string? Folder,
    uint UidValidity,
    uint Uid,
    string? ReportMessageId,
    DateTimeOffset ReportDate)
{
    /// <summary>
    /// The same report (or the same refusal) read twice is one bounce: a report by its own Message-ID where it has one
    /// (so that a folder read again under a new UIDVALIDITY, or the report found in two folders, adds nothing), else
    /// by where it lies.
    /// </summary>
    public string Key() => Source switch
    {
        BounceSource.Smtp => $"smtp\n{SentMailId:N}\n{ReportDate:O}",
        _ when !string.IsNullOrEmpty(ReportMessageId) => $"report\n{ReportMessageId}",
        _ => $"report\n{AccountId:N}\n{Folder}\n{UidValidity}\n{Uid}",
    };
}

/// <summary>A message the system sent to the address came back, or was refused; with the server's words.</summary>
public sealed record AddressBounced(
    string Address, BounceClass Class, string Reason, string? Status, int? ReplyCode, string Diagnostic, BounceEvidence Evidence, DateTimeOffset At)
    : IVerificationEvent;

/// <summary>The address is taken for one that does not take mail: what the bounce that decided it said.</summary>
public sealed record AddressMarkedInvalid(
    string Address, BounceClass Class, string Reason, string? Status, string Diagnostic, BounceEvidence Evidence, DateTimeOffset At)
    : IVerificationEvent;

public enum ValidatedBy
{
    /// <summary>Mail came from the address: it exists.</summary>
    MailReceived,

    /// <summary>A user pressed Mark valid.</summary>
    User,
}

/// <summary>
/// The mark, and the soft bounces counted so far, are cleared. <paramref name="By"/> is the user, or
/// <see cref="Guid.Empty"/> when mail from the address cleared it (<paramref name="Evidence"/> then names that mail:
/// account, folder and UID).
/// </summary>
public sealed record AddressMarkedValid(string Address, ValidatedBy How, Guid By, string? Evidence, DateTimeOffset At) : IVerificationEvent;

/// <summary>How many soft bounces, on different days within how many days, mark an address invalid.</summary>
public sealed record VerificationRules(int SoftBounces = 3, int WindowDays = 30)
{
    public static VerificationRules Default { get; } = new();
}

/// <summary>A soft bounce counted towards the mark.</summary>
public sealed record SoftBounce(DateTimeOffset At, string Reason, string? Status);

/// <summary>
/// An address's state, as its events left it; also the document pages read to show the mark.
/// <paramref name="Seen"/> are the evidence keys of every bounce taken (a re-read report adds nothing).
/// </summary>
public sealed record AddressState(
    Guid Id,
    string Address,
    bool Invalid,
    AddressMarkedInvalid? Mark,
    IReadOnlyList<SoftBounce> Soft,
    IReadOnlyList<string> Seen,
    int Bounces,
    DateTimeOffset? LastBounceAt,
    AddressMarkedValid? LastCleared)
{
    public static IReadOnlyList<Type> ChangedBy { get; } = [typeof(AddressBounced), typeof(AddressMarkedInvalid), typeof(AddressMarkedValid)];

    public static AddressState Empty(string address) =>
        new(AddressVerification.IdOf(address), AddressVerification.Normalise(address), false, null, [], [], 0, null, null);

    public static AddressState? Evolve(AddressState? state, object @event)
    {
        if (@event is not IVerificationEvent verification)
        {
            return state;
        }

        var current = state ?? Empty(verification.Address);
        return @event switch
        {
            AddressBounced e => current with
            {
                Bounces = current.Bounces + 1,
                LastBounceAt = e.At,
                Seen = [.. current.Seen, e.Evidence.Key()],
                Soft = e.Class == BounceClass.Soft ? [.. current.Soft, new SoftBounce(e.Evidence.ReportDate, e.Reason, e.Status)] : current.Soft,
            },
            AddressMarkedInvalid e => current with { Invalid = true, Mark = e },
            AddressMarkedValid e => current with { Invalid = false, Mark = null, Soft = [], LastCleared = e },
            _ => current,
        };
    }
}

/// <summary>The decisions about an address: pure, so the domain specs need no server.</summary>
public static class AddressVerification
{
    /// <summary>Addresses are compared without case and without surrounding blanks or angle brackets.</summary>
    public static string Normalise(string address) => address.Trim().Trim('<', '>').Trim().ToLowerInvariant();

    /// <summary>The address's stream: a name-based id (RFC 9562 version 8) of the normalised address.</summary>
    public static Guid IdOf(string address)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("address\n" + Normalise(address)), digest);
        var bytes = digest[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// A bounce of mail the system sent to the address: recorded, and the address marked invalid at once when it is
    /// hard, or when it is soft and the soft bounces now fall on <see cref="VerificationRules.SoftBounces"/> different
    /// days within <see cref="VerificationRules.WindowDays"/>. A sender-side refusal is recorded and marks nothing.
    /// The same evidence taken before gives nothing.
    /// </summary>
    public static IReadOnlyList<object> Bounced(
        AddressState? state, BouncedRecipient bounce, BounceEvidence evidence, VerificationRules rules, DateTimeOffset now)
    {
        var current = state ?? AddressState.Empty(bounce.Address);
        if (current.Seen.Contains(evidence.Key()))
        {
            return [];
        }

        var address = current.Address;
        var bounced = new AddressBounced(address, bounce.Class, bounce.Reason, bounce.Status, bounce.ReplyCode, bounce.Diagnostic, evidence, now);
        if (current.Invalid || bounce.Class == BounceClass.SenderSide)
        {
            return [bounced];
        }

        var marks = bounce.Class == BounceClass.Hard
            || SoftDays(current.Soft.Append(new SoftBounce(evidence.ReportDate, bounce.Reason, bounce.Status)), rules, evidence.ReportDate) >= rules.SoftBounces;
        return marks
            ? [bounced, new AddressMarkedInvalid(address, bounce.Class, bounce.Reason, bounce.Status, bounce.Diagnostic, evidence, now)]
            : [bounced];
    }

    /// <summary>Mail came from the address: a mark, and any soft bounces counted, are cleared. Nothing to clear gives nothing.</summary>
    public static IReadOnlyList<object> MailReceived(AddressState? state, string evidence, DateTimeOffset now) =>
        state is { } current && (current.Invalid || current.Soft.Count > 0)
            ? [new AddressMarkedValid(current.Address, ValidatedBy.MailReceived, Guid.Empty, evidence, now)]
            : [];

    /// <summary>A user's Mark valid: clears the mark and the count. An address not marked gives nothing.</summary>
    public static IReadOnlyList<object> MarkedValidBy(AddressState? state, Guid userId, DateTimeOffset now) =>
        state is { Invalid: true } current
            ? [new AddressMarkedValid(current.Address, ValidatedBy.User, userId, null, now)]
            : [];

    /// <summary>On how many different days (UTC) within the window before <paramref name="latest"/> the soft bounces fell.</summary>
    public static int SoftDays(IEnumerable<SoftBounce> soft, VerificationRules rules, DateTimeOffset latest) =>
        soft.Where(s => s.At > latest.AddDays(-rules.WindowDays) && s.At <= latest.AddDays(1))
            .Select(s => DateOnly.FromDateTime(s.At.UtcDateTime))
            .Distinct()
            .Count();
}
