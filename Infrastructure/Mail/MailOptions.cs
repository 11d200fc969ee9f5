using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>The <c>Mail</c> section of the configuration.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>PEM files of certificate authorities trusted besides the machine's roots.</summary>
    public List<string> TrustedAuthorities { get; set; } = [];

    /// <summary>CIDR ranges of private networks where mail servers may be reached (loopback for the local servers, say).</summary>
    public List<string> AllowedPrivateNetworks { get; set; } = [];

    /// <summary>Ports allowed besides the mail protocols' own.</summary>
    public List<int> AllowedPorts { get; set; } = [];

    /// <summary>Hosts an administrator allows to be reached without TLS.</summary>
    public List<string> AllowUnencryptedHosts { get; set; } = [];

    /// <summary>
    /// The DNS server (<c>address:port</c>, or an address for port 53) that mail host names, SRV and MX records are
    /// asked of; none for the system's resolver.
    /// </summary>
    public string? DnsServer { get; set; }

    /// <summary>How long a server may stay silent before the attempt fails.</summary>
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// How long a signed-in IMAP connection waits for the next request of its account before it is closed; 0 signs in
    /// anew for every request.
    /// </summary>
    public int IdleConnectionSeconds { get; set; } = 60;

    /// <summary>The charset of received text that declares none and is not UTF-8.</summary>
    public string FallbackCharset { get; set; } = "windows-1251";

    /// <summary>Connection tests and test e-mails one user may run per minute.</summary>
    public int TestsPerMinute { get; set; } = 10;

    /// <summary>
    /// The waits between attempts to send a message the server refused for the time being (4xx, unreachable);
    /// after the last one the message goes to the Not sent list.
    /// </summary>
    /// <remarks>Empty in the configuration means the defaults: binding would add to a list that had them already.</remarks>
    public List<TimeSpan> SendRetryDelays { get; set; } = [];

    public IReadOnlyList<TimeSpan> RetryDelays => SendRetryDelays.Count > 0
        ? SendRetryDelays
        : [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    /// <summary>The most a message's attachments may weigh together.</summary>
    public long MaxAttachmentBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Recipients of one message, To, Cc and Bcc together.</summary>
    public int MaxRecipients { get; set; } = Domain.Sending.Drafts.DefaultMaxRecipients;

    /// <summary>Messages one user may send per minute.</summary>
    public int SendsPerMinute { get; set; } = 20;

    /// <summary>Messages one user may keep unsent (drafts, queued and not sent) at once.</summary>
    public int MaxDrafts { get; set; } = 100;

    /// <summary>What one user's unsent messages may weigh together: texts and attachments.</summary>
    public long MaxDraftBytes { get; set; } = 200L * 1024 * 1024;

    /// <summary>Pages that sign in to a mail server (the message list, a message, the folder list) one user may open per minute.</summary>
    public int ReadsPerMinute { get; set; } = 120;

    /// <summary>
    /// How long Send waits before the message goes, for a user who has not chosen in General settings: Undo can take
    /// it back until then. 0 sends at once.
    /// </summary>
    public int UndoSendSeconds { get; set; } = 5;

    /// <summary>
    /// How long mail of an account that needs reconnecting waits for its user to reconnect it before it goes to Not
    /// sent: three days by default, so that a weekend does not lose it.
    /// </summary>
    public double ReconnectGraceHours { get; set; } = 72;

    /// <summary>How often held mail looks whether its account was reconnected.</summary>
    public int HeldMailCheckSeconds { get; set; } = 60;

    /// <summary>Folders one user's open mail client tabs may watch at once (each holds a connection to the mail server).</summary>
    public int WatchersPerUser { get; set; } = 4;

    /// <summary>How often a watched folder's IMAP IDLE is ended and started again (RFC 2177: within 29 minutes).</summary>
    public int IdleRenewSeconds { get; set; } = 9 * 60;

    /// <summary>
    /// How long a live search may wait for one folder (its SEARCH, and the page's fetch) before the folder is named as
    /// timed out and the others' results are shown: a body search over a large folder without a full-text index can
    /// take minutes (Roundcube's 180 s failures).
    /// </summary>
    public int SearchFolderSeconds { get; set; } = 20;

    /// <summary>Folders a live search asks at once, over all accounts; at most two per account (what the pool keeps for it).</summary>
    public int SearchParallelFolders { get; set; } = 4;

    /// <summary>The most a compose form may post: the attachments' limit, and room for the text.</summary>
    public long MaxComposeRequestBytes => MaxAttachmentBytes + 4L * 1024 * 1024;

    public CertificatePolicy CreateCertificatePolicy()
    {
        var authorities = new X509Certificate2Collection();
        foreach (var path in TrustedAuthorities.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            authorities.ImportFromPemFile(path);
        }

        return new CertificatePolicy(authorities);
    }

    public IPEndPoint? ParseDnsServer() => string.IsNullOrWhiteSpace(DnsServer)
        ? null
        : IPEndPoint.TryParse(DnsServer.Trim(), out var server)
            ? server.Port == 0 ? new IPEndPoint(server.Address, 53) : server
            : throw new InvalidOperationException($"Mail:DnsServer holds '{DnsServer}', which is not an address and port such as 127.0.0.1:53.");

    public IReadOnlyList<IPNetwork> ParseAllowedNetworks() => AllowedPrivateNetworks
        .Where(n => !string.IsNullOrWhiteSpace(n))
        .Select(n => IPNetwork.TryParse(n.Trim(), out var network)
            ? network
            : throw new InvalidOperationException($"Mail:AllowedPrivateNetworks holds '{n}', which is not a CIDR range such as 10.0.0.0/8."))
        .ToArray();
}
