namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>
/// Where the private mail server listens. Every port is on 127.0.0.1 (<see cref="Host"/>), where it behaves well.
/// <see cref="Misbehaving"/> is there only when the server was started to misbehave on purpose (by the specs, never by
/// the demo): then, and only then, the hosts and the port it names are listened on.
/// </summary>
public sealed record MailServerEndpoints(
    string Host,
    string Domain,
    int Imap,
    int Imaps,
    int Pop3,
    int Pop3s,
    int Smtp,
    int Submissions,
    int SmtpWithoutTls,
    string AuthorityCertificatePath,
    MisbehavingEndpoints? Misbehaving)
{
    /// <summary>
    /// Its mail ports, which are not the standard ones: whoever lets users reach this server allows them
    /// (<c>Mail:AllowedPorts</c>), since an allowed network opens only mail ports.
    /// </summary>
    public IReadOnlyList<int> MailPorts => [Imap, Imaps, Pop3, Pop3s, Smtp, Submissions, SmtpWithoutTls];
}

/// <summary>
/// What the private mail server does wrong on purpose, for specs of how the product copes, on the same port numbers as
/// <see cref="MailServerEndpoints"/>: <see cref="UntrustedHost"/> serves IMAP, IMAPS, POP3, POP3S, SMTP (STARTTLS) and
/// SMTPS (submissions) with a certificate for that address from a second authority that nobody trusts;
/// <see cref="NoTlsHost"/> serves IMAP, POP3 and SMTP on their plain ports without STARTTLS (yet still accepts passwords
/// in the clear) and nothing on the implicit-TLS ports. <see cref="SilentPort"/> (on 127.0.0.1) accepts connections and
/// never says a word. Postfix refuses <see cref="RefusedRecipient"/> for good (550) at RCPT TO, as a real server refuses
/// an unknown mailbox, and <see cref="DeferredRecipient"/> for the time being (450), as a busy or greylisting one does.
/// </summary>
public sealed record MisbehavingEndpoints(
    string UntrustedHost,
    string NoTlsHost,
    int SilentPort,
    string RefusedRecipient,
    string DeferredRecipient);
