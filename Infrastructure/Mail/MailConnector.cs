using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Security;
using MailAccounts.Domain.Accounts;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// Opens a connection to a mail server the careful way, recording each stage: the name is resolved here and
/// every address is vetted by <see cref="MailNetworkPolicy"/> before a socket is connected to it; the socket
/// is handed to MailKit, so MailKit cannot connect anywhere else; TLS is never optional unless an administrator
/// allowed the host; the certificate is validated, or matched against fingerprints the user chose to trust.
/// </summary>
public sealed class MailConnector(MailOptions options, MailNetworkPolicy network, CertificatePolicy certificates, MailResolver resolver)
{
    // The socket under each client connected here, so that a kept connection can be judged without a round trip.
    private static readonly ConditionalWeakTable<IMailService, Socket> Sockets = new();

    public TimeSpan Timeout => TimeSpan.FromSeconds(options.TimeoutSeconds);

    /// <returns>Whether the client is connected (and, unless allowed otherwise, encrypted).</returns>
    public async Task<bool> ConnectAsync(
        MailService client, ServerEndpoint endpoint, IEnumerable<TrustedCertificate> trusted, TestReport report, CancellationToken cancellationToken)
    {
        client.Timeout = (int)Timeout.TotalMilliseconds;
        report.Server = endpoint;
        report.Protocol = client switch
        {
            MailKit.Net.Pop3.Pop3Client => MailAdvice.Pop3,
            MailKit.Net.Smtp.SmtpClient => MailAdvice.Smtp,
            _ => MailAdvice.Imap,
        };
        if (endpoint.Security == TransportSecurity.None && !network.AllowsUnencrypted(endpoint.Host))
        {
            report.Fail(TestStage.Tls, ReportText.Of("Tls.PlainRefused", endpoint.Host), FailureKind.PlainRefused);
            return false;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);

        IPAddress[] addresses;
        try
        {
            // An address literal is judged as it is; the resolver refuses some (0.0.0.0) with a less useful reason.
            addresses = await resolver.AddressesAsync(endpoint.Host, limit.Token);
        }
        catch (Exception e) when (MailFailures.IsExpectedResolving(e, cancellationToken))
        {
            report.Fail(TestStage.NameResolution, ReportText.Of("Name.Unresolved", endpoint.Host, e.Message), FailureKind.NameNotFound, e.Message);
            return false;
        }

        if (addresses.Length == 0)
        {
            report.Fail(TestStage.NameResolution, ReportText.Of("Name.NoAddress", endpoint.Host), FailureKind.NameNotFound);
            return false;
        }

        report.Pass(TestStage.NameResolution, ReportText.Of("Name.Resolved", endpoint.Host, string.Join(", ", addresses.Select(MailNetworkPolicy.Canonical))));

        var socket = await ConnectSocketAsync(addresses, endpoint.Port, report, limit.Token, cancellationToken);
        if (socket is null)
        {
            return false;
        }

        // A fingerprint the user trusted counts only for the host it was trusted for.
        var pinned = trusted.Where(c => string.Equals(c.Host, endpoint.Host, StringComparison.OrdinalIgnoreCase)).Select(c => c.Fingerprint).ToArray();
        var validation = new CertificateCheck(endpoint.Host, certificates, pinned);
        client.ServerCertificateValidationCallback = validation.Validate;
        // Where an administrator allowed plain connections, STARTTLS is still used when the server offers it.
        var unencryptedAllowed = network.AllowsUnencrypted(endpoint.Host);
        var secureOptions = endpoint.Security switch
        {
            TransportSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            TransportSecurity.StartTls when unencryptedAllowed => SecureSocketOptions.StartTlsWhenAvailable,
            TransportSecurity.StartTls => SecureSocketOptions.StartTls,
            TransportSecurity.None => SecureSocketOptions.None,
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint.Security, "Unknown transport security."),
        };

        try
        {
            await client.ConnectAsync(socket, endpoint.Host, endpoint.Port, secureOptions, limit.Token);
        }
        catch (Exception e) when (MailFailures.IsExpected(e, cancellationToken))
        {
            if (e is SslHandshakeException && (validation.Seen is not null || !MailFailures.TimedOut(e)))
            {
                report.Certificate = validation.Seen;
                if (validation.Seen is { Valid: false } seen)
                {
                    report.Fail(TestStage.Tls, ReportText.Of("Tls.Untrusted", endpoint.Host, seen.Subject, seen.Issuer, validation.Problem ?? ""),
                        validation.Kind, validation.Problem);
                }
                else
                {
                    report.Fail(TestStage.Tls, ReportText.Of("Tls.HandshakeFailed", e.Message), FailureKind.TlsHandshake, e.InnerException?.Message ?? e.Message);
                }

                return false;
            }

            socket.Dispose();
            MailFailures.Record(report, e is NotSupportedException && secureOptions == SecureSocketOptions.StartTls ? TestStage.Tls : TestStage.Connection, e,
                timeout: Timeout);
            return false;
        }

        Sockets.AddOrUpdate(client, socket);
        report.Certificate = validation.Seen;
        report.Pass(TestStage.Tls, validation.Seen is { } certificate
            ? ReportText.Of("Tls.Certificate", ReportText.Of(client.IsSecure ? "Tls.Encrypted" : "Tls.NotEncrypted"), certificate.Subject, certificate.NotAfter,
                certificate.Pinned ? ReportText.Of("Tls.Pinned") : "")
            : ReportText.Of("Tls.PlainAllowed"));
        return true;
    }

    /// <summary>
    /// Whether a connection made here and left idle still looks usable, asking the server nothing: the client is
    /// connected and signed in, and nothing waits to be read. An idle IMAP or POP3 server sends nothing unless it is
    /// hanging up (a BYE, then the close), so anything readable, or a closed socket, means the connection is done.
    /// </summary>
    public static bool LooksOpen(IMailService client)
    {
        if (!client.IsConnected || !client.IsAuthenticated || !Sockets.TryGetValue(client, out var socket))
        {
            return false;
        }

        try
        {
            return !socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The socket is gone: so is the connection.
            return false;
        }
    }

    private async Task<Socket?> ConnectSocketAsync(
        IPAddress[] addresses, int port, TestReport report, CancellationToken cancellationToken, CancellationToken caller)
    {
        ReportText? problem = null;
        var kind = FailureKind.Other;
        string? words = null;
        foreach (var address in addresses.Select(MailNetworkPolicy.Canonical))
        {
            if (network.Refusal(address, port) is { } refusal)
            {
                if (problem is null)
                {
                    (problem, kind) = (refusal, FailureKind.NetworkPolicy);
                }

                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                report.Pass(TestStage.Connection, ReportText.Of("Connection.Connected", address, port));
                return socket;
            }
            catch (Exception e) when (MailFailures.IsExpected(e, caller))
            {
                socket.Dispose();
                (problem, kind, words) = e is OperationCanceledException
                    ? (ReportText.Of("Connection.NotAccepted", address, port, Timeout.TotalSeconds), FailureKind.NotAccepted, null)
                    : (ReportText.Of("Connection.Refused", address, port, e.Message),
                        e is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? FailureKind.ConnectionRefused : FailureKind.Other, e.Message);
            }
        }

        report.Fail(TestStage.Connection, problem ?? ReportText.Of("Connection.NoAddress"), kind, words);
        return null;
    }

    /// <summary>Remembers the certificate the server showed, so the report can offer its fingerprint to be trusted.</summary>
    private sealed class CertificateCheck(string host, CertificatePolicy policy, IReadOnlyCollection<string> trustedFingerprints)
    {
        public CertificateInfo? Seen { get; private set; }

        public string Problem { get; private set; } = "";

        /// <summary>Why the certificate was refused: expired (or not yet valid), for another name, or from an authority not trusted.</summary>
        public FailureKind Kind { get; private set; } = FailureKind.CertificateUntrusted;

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate is null)
            {
                Problem = "the server sent no certificate";
                return false;
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var fingerprint = Convert.ToHexString(SHA256.HashData(leaf.RawData));
            var valid = policy.Validate(sender, certificate, chain, errors);
            var pinned = !valid && trustedFingerprints.Contains(fingerprint, StringComparer.OrdinalIgnoreCase);
            Problem = errors.ToString();
            var now = DateTime.UtcNow;
            Kind = leaf.NotAfter.ToUniversalTime() < now || leaf.NotBefore.ToUniversalTime() > now
                    || chain?.ChainStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.NotTimeValid)) == true
                ? FailureKind.CertificateExpired
                : errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                    ? FailureKind.CertificateWrongName
                    : FailureKind.CertificateUntrusted;
            Seen = new CertificateInfo(host, leaf.Subject, leaf.Issuer, new DateTimeOffset(leaf.NotAfter.ToUniversalTime()), fingerprint, valid || pinned, pinned);
            return valid || pinned;
        }
    }
}
