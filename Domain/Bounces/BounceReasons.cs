using System.Text.RegularExpressions;

namespace MailAccounts.Domain.Bounces;

/// <summary>
/// The classification table: what a refusal's status code, reply code and words say about the address, with sisimai's
/// reason names and its hard/soft rule (hard = <c>userunknown</c>, <c>hostunknown</c>, <c>hasmoved</c>, and
/// <c>notaccept</c> with a 5xx; everything else is not hard, whatever its code). Ours splits "not hard" in two: the
/// recipient's side for now (<see cref="BounceClass.Soft"/>, counted towards the mark) and the sender's or the
/// message's side (<see cref="BounceClass.SenderSide"/>: never marks the address, warns administrators).
/// Pure: used for reports and for refusals at RCPT time alike.
/// </summary>
public static partial class BounceReasons
{
    public const string UserUnknown = "userunknown";
    public const string HostUnknown = "hostunknown";
    public const string HasMoved = "hasmoved";
    public const string NotAccept = "notaccept";
    public const string MailboxFull = "mailboxfull";
    public const string Suspend = "suspend";
    public const string Expired = "expired";
    public const string SystemFull = "systemfull";
    public const string SystemError = "systemerror";
    public const string MailerError = "mailererror";
    public const string NetworkError = "networkerror";
    public const string ExceedLimit = "exceedlimit";
    public const string OnHold = "onhold";
    public const string Undefined = "undefined";
    public const string Blocked = "blocked";
    public const string BadReputation = "badreputation";
    public const string SpamDetected = "spamdetected";
    public const string PolicyViolation = "policyviolation";
    public const string AuthFailure = "authfailure";
    public const string RequirePtr = "requireptr";
    public const string Speeding = "speeding";
    public const string TooManyConn = "toomanyconn";
    public const string NoRelaying = "norelaying";
    public const string Rejected = "rejected";
    public const string SecurityError = "securityerror";
    public const string Filtered = "filtered";
    public const string ContentError = "contenterror";
    public const string MesgTooBig = "mesgtoobig";
    public const string VirusDetected = "virusdetected";
    public const string NotCompliantRfc = "notcompliantrfc";
    public const string FailedStartTls = "failedstarttls";
    public const string SyntaxError = "syntaxerror";
    public const string Suppressed = "suppressed";

    /// <summary>The reasons that say the address itself is gone: marked invalid at once.</summary>
    public static IReadOnlySet<string> HardReasons { get; } = new HashSet<string>(StringComparer.Ordinal) { UserUnknown, HostUnknown, HasMoved, NotAccept };

    /// <summary>
    /// The recipient's side, for now: a full or suspended mailbox, a message that could not reach it in time, a
    /// receiving system that failed. They count towards the mark after repeated bounces on different days.
    /// <see cref="Undefined"/> (a failure whose words say nothing we know) is counted here too: it is about the
    /// delivery to this address, and counting is the cautious way between marking at once and ignoring it.
    /// </summary>
    public static IReadOnlySet<string> RecipientSoftReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        MailboxFull, Suspend, Expired, SystemFull, SystemError, MailerError, NetworkError, ExceedLimit, OnHold, Undefined,
    };

    /// <summary>
    /// The sender's or the message's side: they say why this sender or this message was refused, not whether the
    /// address exists, so they never mark it.
    /// </summary>
    public static IReadOnlySet<string> SenderSideReasons { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Blocked, BadReputation, SpamDetected, PolicyViolation, AuthFailure, RequirePtr, Speeding, TooManyConn, NoRelaying,
        Rejected, SecurityError, Filtered, ContentError, MesgTooBig, VirusDetected, NotCompliantRfc, FailedStartTls,
        SyntaxError, Suppressed,
    };

    /// <summary>
    /// The reason and class of one failure. The server's words decide first (the same code means different things at
    /// different providers: Google's 5.2.1 "disabled" is a suspended account, Yandex's 5.2.1 "no such user" an unknown
    /// one), then the enhanced status code, then the bare reply code.
    /// </summary>
    public static (string Reason, BounceClass Class) Classify(string? status, int? replyCode, string diagnostic)
    {
        var code = replyCode ?? ReplyCodeIn(diagnostic);
        var enhanced = Normalised(status) ?? StatusIn(diagnostic);
        var reason = FromWords(diagnostic ?? "", enhanced) ?? FromStatus(enhanced) ?? FromReplyCode(code) ?? Undefined;
        return (reason, ClassOf(reason, code, enhanced));
    }

    /// <summary>
    /// The class of a reason: sisimai's rule (hard for the four, <c>notaccept</c> only when permanent), and the
    /// sender's side for the reasons about the sender or the message. A temporary (4xx) refusal is never hard.
    /// </summary>
    public static BounceClass ClassOf(string reason, int? replyCode = null, string? status = null)
    {
        if (reason == NotAccept)
        {
            var permanent = replyCode is >= 500 and < 600 || (replyCode is null && status is ['5', ..]);
            return permanent ? BounceClass.Hard : BounceClass.Soft;
        }

        // A temporary refusal never says for good that an address is gone.
        var temporary = replyCode is >= 400 and < 500 || (replyCode is null && status is ['4', ..]);
        return HardReasons.Contains(reason) ? (temporary ? BounceClass.Soft : BounceClass.Hard)
            : SenderSideReasons.Contains(reason) ? BounceClass.SenderSide
            : BounceClass.Soft;
    }

    /// <summary>The first enhanced status code (RFC 3463: class.subject.detail) in a text, if any.</summary>
    public static string? StatusIn(string? text) =>
        text is not null && StatusPattern().Match(text) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>The first SMTP reply code (a 4xx or 5xx standing on its own) in a text, if any.</summary>
    public static int? ReplyCodeIn(string? text) =>
        text is not null && ReplyCodePattern().Match(text) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string? Normalised(string? status) =>
        status is not null && StatusPattern().Match(status) is { Success: true } match ? match.Groups[1].Value : null;

    private static string? FromWords(string diagnostic, string? status)
    {
        if (string.IsNullOrWhiteSpace(diagnostic))
        {
            return null;
        }

        // Office 365 says "Recipient address rejected: Access denied" (5.4.1) or "RESOLVER.ADR.RecipNotFound" (5.1.10)
        // for a mailbox that is not there; "Access denied" alone would read as a block.
        if (status is "5.4.1" or "5.1.10" && RecipientRejected().IsMatch(diagnostic))
        {
            return UserUnknown;
        }

        // Postfix's check_recipient_access (and its user-unknown maps) refuse the recipient itself, whatever enhanced
        // code they give (5.7.1 by default): "Access denied" there is about this address, not about the sender.
        if (RecipientRefused().IsMatch(diagnostic))
        {
            return UserUnknown;
        }

        foreach (var (pattern, reason) in Words)
        {
            if (pattern.IsMatch(diagnostic))
            {
                return reason;
            }
        }

        return null;
    }

    /// <summary>
    /// Words, in order: the specific before the general. Sender-side words about a list or a filter come before the
    /// recipient words because a block often quotes the recipient ("rejected for policy reasons: user@…").
    /// </summary>
    private static readonly (Regex Pattern, string Reason)[] Words =
    [
        (Rx(@"\b(?:SPF|DKIM|DMARC)\b|authentication (?:failed|required|results)|not authenticated|unauthenticated|sender (?:policy|authentication)|5\.7\.(?:2[3-7]|509)\b"), AuthFailure),
        (Rx(@"\bPTR\b|reverse (?:dns|lookup|hostname)|rdns|no (?:reverse|ptr)|cannot resolve your (?:address|hostname)|does not have a valid hostname|client host rejected: cannot find your hostname"), RequirePtr),
        (Rx(@"relay(?:ing)? (?:access )?(?:denied|not permitted|prohibited|not allowed)|not permitted to relay|unable to relay|we do not relay|relay not permitted|no relaying|relaying mail to .* is not allowed"), NoRelaying),
        (Rx(@"\bvirus|malware|infected|trojan"), VirusDetected),
        (Rx(@"message (?:size|length) exceeds|message (?:is )?too (?:large|big)|exceeds (?:the )?(?:maximum|size limit)|(?<!mailbox )size limit|too large|5\.3\.4\b"), MesgTooBig),
        (Rx(@"\bspam\b|junk mail|bulk mail|unsolicited|blocked as spam|considered (?:as )?spam|content (?:was )?(?:rejected|filtered)"), SpamDetected),
        (Rx(@"reputation|sender score|senderbase"), BadReputation),
        (Rx(@"blacklist|blocklist|black list|\bdnsbl\b|\brbl\b|(?<!not )listed (?:at|in|on)|(?:ip|address|host|connection|sender|you) (?:has been |have been |is |are )?(?:temporarily )?(?:blocked|banned|denied)|blocked (?:by|using|because)|\bbanned\b|access denied|poor reputation"), Blocked),
        (Rx(@"too many (?:connections|concurrent)|connection limit"), TooManyConn),
        (Rx(@"rate limit|too many (?:messages|emails|mails|recipients)|sending (?:limit|rate)|try again later.*rate|throttl|slow down"), Speeding),
        (Rx(@"starttls|\btls\b.*(?:required|failed)"), FailedStartTls),
        (Rx(@"\bpolicy\b|policies|not allowed by|prohibited"), PolicyViolation),
        (Rx(@"has moved|address (?:has )?changed|no longer (?:valid|available|in use|at)|moved to|forwarding address"), HasMoved),
        (Rx(@"mailbox (?:is )?(?:full|over ?quota)|(?:over|exceeded?(?:ed)?|exceeds) (?:the |his |her |its )?(?:storage |disk |mailbox |mail ?box |quota)|over ?quota|quota (?:exceeded|full)|mailfolder is full|mailbox size limit|insufficient (?:space|storage)|storage (?:space )?(?:full|exceeded)|exceeded storage|user is over|5\.2\.2\b|ящик переполнен"), MailboxFull),
        (Rx(@"\b(?:disabled|suspended|deactivated|inactive|not active|inactivity|locked|blocked) (?:account|mailbox|user)|(?:account|mailbox|user|address) (?:has been |is |was )?(?:temporarily )?(?:disabled|suspended|deactivated|inactive|not active|locked|frozen|expired|closed|discontinued)|\[SUSPEND\]|account expired|mailbox not active|user not active|account that you tried to reach is disabled|\bdisabled\b"), Suspend),
        (Rx(@"host (?:or domain name )?(?:unknown|not found)|unknown (?:host|domain)|domain (?:not found|does not exist|doesn't exist|is not valid|name not found|unknown)|no such domain|name service error|nxdomain|unrouteable (?:mail )?domain|host not found|no (?:mx|mail exchanger|route to host)|can(?:no|')t find (?:the )?(?:mx|host|domain)|domain lookup failed|dns (?:error|failure)|not resolv|unresolvable|name or service not known|mx lookup|bad destination (?:system|host)|address lookup failed|unknown mail domain|unknown destination domain"), HostUnknown),
        (Rx(@"does not accept (?:any )?mail|not accepting (?:any )?mail|accepts no mail|null mx|doesn't accept mail"), NotAccept),
        (Rx(@"unknown (?:user|recipient|local[- ]?part|address|mailbox|e-?mail)|user (?:unknown|not found|doesn't exist|does not exist|not known|invalid)|(?:no|bad|invalid|illegal|unknown) (?:such )?(?:user|recipient|mailbox|address|account|e-?mail)|no such (?:user|mailbox|recipient|address|account|person|local user)|(?:mailbox|recipient|user|address|account|addressee|e-?mail|alias) (?:(?:is |was )?(?:unknown|unavailable|not found|not valid|invalid|nonexistent|non-existent|not exist)|does not exist|doesn't exist|not listed)|doesn't have an? .* account|does ?n[o']t exist|not (?:a )?(?:valid|known) (?:user|recipient|mailbox|address)|is not a known|not our customer|no mailbox|mailbox not (?:found|available)|recipient (?:address )?rejected|rejected: user|user rejected|unknown or illegal alias|unrouteable address|address rejected|recipient not found|not found in directory|no such recipient here|invalid mailbox|not listed in|account (?:does not exist|not found|is unavailable)|badrcptto|nosuchuser|RecipNotFound|(?:recipient|user|address)(?: name)? is not recognized|mailbox unavailable|no account by that name|userunknown|not a valid|unknown e-mail address|n'existe pas|нет такого|не существует|неизвестный"), UserUnknown),
        (Rx(@"retry time(?:out)? (?:exceeded|expired)|delivery time expired|could not be delivered (?:with)?in|too long in (?:the )?queue|message expired|has been (?:delayed|queued) for|giving up|expired after|timeout|timed out|4\.4\.7\b"), Expired),
        (Rx(@"system (?:is )?full|out of (?:disk|storage)|disk full|insufficient system storage"), SystemFull),
        (Rx(@"\bmail ?loop|too many hops|routing loop|connection (?:refused|reset|lost)|network error|unable to connect"), NetworkError),
        (Rx(@"syntax error|command unrecognized|unrecognized command|bad sequence"), SyntaxError),
        (Rx(@"\brejected\b|refused|not (?:allowed|authorized|permitted)|denied"), Rejected),
        (Rx(@"filter|not delivered to this recipient|rejected by the recipient"), Filtered),
    ];

    private static string? FromStatus(string? status)
    {
        if (status is null)
        {
            return null;
        }

        var parts = status.Split('.');
        var (cls, subject, detail) = (parts[0], parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        var permanent = cls == "5";
        return (subject, detail) switch
        {
            ("0", _) or ("5", 0) => null,
            ("1", 0 or 1 or 3 or 4 or 5 or 10) => UserUnknown,
            ("1", 2) => HostUnknown,
            ("1", 6) => HasMoved,
            ("1", 7 or 8) => Rejected,
            ("1", _) => UserUnknown,
            ("2", 1) => Suspend,
            ("2", 2) => MailboxFull,
            ("2", 3) => ExceedLimit,
            ("2", 4) => SystemError,
            ("2", _) => permanent ? Undefined : MailboxFull,
            ("3", 1) => SystemFull,
            ("3", 2) => NotAccept,
            ("3", 4) => MesgTooBig,
            ("3", _) => SystemError,
            ("4", 1) => permanent ? UserUnknown : NetworkError,
            ("4", 4) => permanent ? HostUnknown : NetworkError,
            ("4", 7) => Expired,
            ("4", _) => NetworkError,
            ("5", _) => SyntaxError,
            ("6", _) => ContentError,
            ("7", 1) => Rejected,
            ("7", 13 or 14) => Suspend,
            ("7", 25) => RequirePtr,
            ("7", 8 or 23 or 24 or 26 or 27 or 509) => AuthFailure,
            ("7", 9 or 6) => SecurityError,
            ("7", 0) => Blocked,
            ("7", _) => SecurityError,
            _ => null,
        };
    }

    private static string? FromReplyCode(int? code) => code switch
    {
        550 or 551 or 553 => UserUnknown,
        552 => MailboxFull,
        421 => Expired,
        >= 400 and < 500 => Undefined,
        >= 500 and < 600 => Undefined,
        _ => null,
    };

    private static Regex Rx(string pattern) => new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.]*\d)", RegexOptions.CultureInvariant)]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"(?<![\d.#-])([45][0-5]\d)(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyCodePattern();

    [GeneratedRegex(@"recipient (?:address )?rejected|RecipNotFound|not found", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RecipientRejected();

    [GeneratedRegex(@"recipient address rejected: (?:access denied|user unknown|unknown user|undeliverable address|mailbox unavailable)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RecipientRefused();
}
