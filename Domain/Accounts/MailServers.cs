using MailAccounts.Domain.Common;

namespace MailAccounts.Domain.Accounts;

public enum IncomingProtocol
{
    Imap,
    Pop3,
}

/// <summary>How a connection to a mail server is protected. <see cref="None"/> only where an administrator allowed the host.</summary>
public enum TransportSecurity
{
    /// <summary>TLS from the first byte (IMAPS 993, POP3S 995, SMTPS 465).</summary>
    SslOnConnect,

    /// <summary>A plain connection that must upgrade with STARTTLS (IMAP 143, POP3 110, submission 587); a server that does not offer it fails.</summary>
    StartTls,

    None,
}

/// <summary>Where a mail server listens and how the connection is protected.</summary>
public sealed record ServerEndpoint(string Host, int Port, TransportSecurity Security)
{
    /// <summary>
    /// The host and port rules of every server a form names, incoming or outgoing: a host is required and is a host
    /// name or an IP address (no scheme, no port), and a port is 1 to 65535.
    /// </summary>
    public static IEnumerable<Violation> Check(string host, int port)
    {
        if (host.Length == 0)
        {
            yield return new Violation("Host", AccountViolations.HostRequired);
        }
        else if (!HostName.IsValid(host))
        {
            yield return new Violation("Host", AccountViolations.HostInvalid);
        }

        if (port is < 1 or > 65535)
        {
            yield return new Violation("Port", AccountViolations.PortInvalid);
        }
    }
}
