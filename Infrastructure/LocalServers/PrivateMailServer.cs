using System.Net;
using System.Net.Sockets;

namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>
/// Where the private mail server listens. Every port is on 127.0.0.1 (<see cref="Host"/>), where it behaves well.
/// On purpose it misbehaves on two more loopback addresses, on the same port numbers:
/// <see cref="UntrustedHost"/> serves IMAP, IMAPS, POP3, POP3S, SMTP (STARTTLS) and SMTPS (submissions) with a certificate
/// for that address from a second authority that nobody trusts; <see cref="NoTlsHost"/> serves IMAP, POP3 and SMTP on
/// their plain ports without STARTTLS (yet still accepts passwords in the clear) and nothing on the implicit-TLS ports.
/// <see cref="SilentPort"/> (on 127.0.0.1) accepts connections and never says a word.
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
    string UntrustedHost,
    string NoTlsHost,
    int SilentPort)
{
    /// <summary>
    /// Its mail ports, which are not the standard ones: whoever lets users reach this server allows them
    /// (<c>Mail:AllowedPorts</c>), since an allowed network opens only mail ports.
    /// </summary>
    public IReadOnlyList<int> MailPorts => [Imap, Imaps, Pop3, Pop3s, Smtp, Submissions, SmtpWithoutTls];
}

/// <summary>
/// Dovecot (IMAP, POP3, LMTP) and Postfix (SMTP, delivering into Dovecot over LMTP) of our own, in one folder
/// and on free loopback ports. Mail to an unknown user of the domain bounces with a real delivery-status
/// notification; mail to any other domain is refused by the error transport, so nothing leaves the machine.
/// </summary>
public sealed class PrivateMailServer : IAsyncDisposable
{
    // Maildirs belong to this unprivileged system user; Debian has it on every machine.
    private const string MailUser = "mail";

    // Dovecot's auth process reads the password file as this user (Debian's default_internal_user).
    private const string AuthGroup = "dovecot";

    // Linux routes all of 127.0.0.0/8 to the loopback interface, so these need no set-up.
    private const string UntrustedHost = "127.0.0.2";
    private const string NoTlsHost = "127.0.0.3";

    private readonly string _dovecotConfig;
    private readonly string _postfixConfigFolder;
    private readonly string _passwdFile;
    private readonly string _mailboxes;
    private readonly string _runtime;
    private readonly string _mailUid;
    private readonly string _mailGid;
    private readonly SilentListener _silent;
    private readonly SemaphoreSlim _passwdLock = new(1, 1);
    private int _stopped;

    private PrivateMailServer(
        MailServerEndpoints endpoints, string dovecotConfig, string postfixConfigFolder, string passwdFile, string mailboxes,
        string logFolder, string runtime, string mailUid, string mailGid, SilentListener silent)
    {
        Endpoints = endpoints;
        _silent = silent;
        _runtime = runtime;
        _mailUid = mailUid;
        _mailGid = mailGid;
        _dovecotConfig = dovecotConfig;
        _postfixConfigFolder = postfixConfigFolder;
        _passwdFile = passwdFile;
        _mailboxes = mailboxes;
        DovecotLog = Path.Combine(logFolder, "dovecot.log");
        PostfixLog = Path.Combine(logFolder, "postfix.log");
    }

    public MailServerEndpoints Endpoints { get; }

    /// <summary>Where Dovecot and Postfix keep their sockets and queue while they run.</summary>
    internal string RuntimeFolder => _runtime;

    /// <summary>The mailboxes' passwords, as Dovecot checks them.</summary>
    internal string PasswordFile => _passwdFile;

    public string DovecotLog { get; }

    public string PostfixLog { get; }

    public static async Task<PrivateMailServer> StartAsync(string folder, string domain, CancellationToken cancellationToken = default)
    {
        if (!ProcessRunner.IsRoot)
        {
            throw new LocalServerException(
                "The local mail server needs root: Postfix starts only as root. Run as root, or without the demo mail server.");
        }

        var dovecot = ProcessRunner.Find("dovecot") ?? throw Missing("dovecot", "dovecot-imapd dovecot-pop3d dovecot-lmtpd");
        var postfix = ProcessRunner.Find("postfix") ?? throw Missing("postfix", "postfix");

        folder = Path.GetFullPath(folder);
        LocalFolders.CreateDirectory(folder);
        var runtime = LocalFolders.CreateDirectory(await LocalFolders.RuntimeForAsync(folder, cancellationToken), "mail");
        var mailboxes = LocalFolders.CreateDirectory(folder, "mailboxes");
        var logs = LocalFolders.CreateDirectory(folder, "logs");
        var tls = TlsMaterial.CreateOrReuse(Path.Combine(folder, "tls"), "MailAccounts local CA", ["localhost", "127.0.0.1", "mail." + domain]);
        var untrustedTls = TlsMaterial.CreateOrReuse(
            Path.Combine(folder, "tls-untrusted"), "MailAccounts untrusted CA (trusted by nobody)", [UntrustedHost]);
        var passwdFile = await PasswordFileAsync(folder, cancellationToken);

        await ProcessRunner.ChangeOwnerAsync(mailboxes, $"{MailUser}:{MailUser}", cancellationToken);
        var uid = (await ProcessRunner.RunAsync("id", ["-u", MailUser], cancellationToken)).Trim();
        var gid = (await ProcessRunner.RunAsync("id", ["-g", MailUser], cancellationToken)).Trim();

        var silent = SilentListener.Start();
        try
        {
            return await StartServersAsync(
                dovecot, postfix, folder, domain, runtime, mailboxes, logs, tls, untrustedTls, passwdFile, uid, gid, silent, cancellationToken);
        }
        catch
        {
            await silent.DisposeAsync();
            throw;
        }
    }

    private static async Task<PrivateMailServer> StartServersAsync(
        string dovecot, string postfix, string folder, string domain, string runtime, string mailboxes, string logs,
        TlsMaterial tls, TlsMaterial untrustedTls, string passwdFile, string uid, string gid, SilentListener silent,
        CancellationToken cancellationToken)
    {
        var ports = FreePorts.TakeRemembered(Path.Combine(folder, "ports"), 9);
        var endpoints = new MailServerEndpoints("127.0.0.1", domain,
            Imap: ports[0], Imaps: ports[1], Pop3: ports[2], Pop3s: ports[3], Smtp: ports[4], Submissions: ports[5],
            SmtpWithoutTls: ports[6], tls.AuthorityCertificatePath,
            UntrustedHost: UntrustedHost, NoTlsHost: NoTlsHost, SilentPort: silent.Port);
        var lmtpPort = ports[7];
        var authPort = ports[8];

        var dovecotRuntime = LocalFolders.CreateDirectory(runtime, "dovecot");
        var dovecotConfig = Path.Combine(folder, "dovecot.conf");
        await File.WriteAllTextAsync(dovecotConfig, DovecotConfig(
            dovecotRuntime, logs, tls, untrustedTls, passwdFile, endpoints, lmtpPort, authPort, domain,
            Path.GetFileName(Path.GetDirectoryName(runtime))!), cancellationToken);

        var postfixConfigFolder = LocalFolders.CreateDirectory(folder, "postfix");
        var queue = LocalFolders.CreateDirectory(runtime, "postfix-queue");
        // Postfix opens its lock and caches there as the postfix user, who may not enter the private runtime folder.
        var postfixData = LocalFolders.CreateDirectory(folder, "postfix-data");
        await ProcessRunner.ChangeOwnerAsync(postfixData, "postfix", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(postfixConfigFolder, "main.cf"),
            PostfixMain(queue, postfixData, logs, tls, domain, lmtpPort, authPort), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(postfixConfigFolder, "master.cf"), PostfixMaster(endpoints, untrustedTls), cancellationToken);

        var server = new PrivateMailServer(endpoints, dovecotConfig, postfixConfigFolder, passwdFile, mailboxes, logs, runtime, uid, gid, silent);

        // A host that died without stopping leaves its servers running over our folders: stop them first.
        await server.StopServersAsync(quietly: true);
        try
        {
            await ProcessRunner.StartDaemonAsync(dovecot, ["-c", dovecotConfig], Path.Combine(logs, "dovecot-start.log"), cancellationToken);
            await ProcessRunner.StartDaemonAsync(postfix, ["-c", postfixConfigFolder, "start"], Path.Combine(logs, "postfix-start.log"), cancellationToken);

            var timeout = TimeSpan.FromSeconds(30);
            foreach (var (port, what) in new[] { (endpoints.Imaps, "Dovecot"), (endpoints.Smtp, "Postfix") })
            {
                await FreePorts.WaitUntilListeningAsync(port, timeout, what, cancellationToken);
            }
        }
        catch (Exception e)
        {
            // Whoever started us gets no server to stop: one half started must not be left running.
            await server.StopServersAsync(quietly: true);
            LocalFolders.RemoveRuntime(runtime);
            // Postfix says why in its own log only.
            var log = Path.Combine(logs, "postfix.log");
            var reason = File.Exists(log) ? File.ReadLines(log).LastOrDefault(l => l.Contains("fatal:", StringComparison.Ordinal)) : null;
            if (e is LocalServerException && reason is not null)
            {
                throw new LocalServerException($"{e.Message.TrimEnd()} {reason[(reason.IndexOf("fatal:", StringComparison.Ordinal) + 6)..].Trim()}");
            }

            throw;
        }

        return server;
    }

    /// <summary>
    /// The passwords in the clear that Dovecot checks, in a folder only root and Dovecot's group may enter. The folder
    /// is set-group-id, so every version of the file written there belongs to that group too and is readable by it
    /// alone (0640), without changing the owner of each new file.
    /// </summary>
    private static async Task<string> PasswordFileAsync(string folder, CancellationToken cancellationToken)
    {
        var auth = Path.Combine(folder, "auth");
        Directory.CreateDirectory(auth);
        await ProcessRunner.RunAsync("chgrp", [AuthGroup, auth], cancellationToken);
        File.SetUnixFileMode(auth, UnixFileMode.SetGroup | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var passwdFile = Path.Combine(auth, "passwd");
        var earlier = Path.Combine(folder, "passwd");
        if (File.Exists(earlier))
        {
            // Where earlier versions kept it, readable by everyone.
            var lines = await File.ReadAllTextAsync(earlier, cancellationToken);
            await LocalFolders.WriteSecretAsync(passwdFile, lines, cancellationToken, PasswdFileMode);
            File.Delete(earlier);
        }
        else if (!File.Exists(passwdFile))
        {
            await LocalFolders.WriteSecretAsync(passwdFile, "", cancellationToken, PasswdFileMode);
        }

        await ProcessRunner.RunAsync("chgrp", [AuthGroup, passwdFile], cancellationToken);
        File.SetUnixFileMode(passwdFile, PasswdFileMode);
        return passwdFile;
    }

    private const UnixFileMode PasswdFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    public string MailboxFolder(string address) => Path.Combine(_mailboxes, address.ToLowerInvariant());

    /// <summary>
    /// Gives files written straight into a mailbox's folder (a benchmark's generated maildir, say) to the unprivileged
    /// user Dovecot reads and writes mail as.
    /// </summary>
    public Task AdoptAsync(string path, CancellationToken cancellationToken = default) =>
        ProcessRunner.ChangeOwnerAsync(path, $"{MailUser}:{MailUser}", cancellationToken);

    /// <summary>
    /// Adds a mailbox, or sets a new password for an existing one. Dovecot rereads the file by itself, but looks at it
    /// at most once a second and only when its modification time (in whole seconds) or size changed: every write gets a
    /// later modification time than the one before, and the call returns only once a new second has begun, so the
    /// very next sign-in sees the change (instead of failing once and earning Dovecot's penalty delay).
    /// </summary>
    public async Task SetMailboxAsync(string address, string password, CancellationToken cancellationToken = default)
    {
        if (address.Any(c => c is ':' or '\n' or '\r' or ' ') || password.Any(c => c is ':' or '\n' or '\r'))
        {
            throw new ArgumentException("Addresses and passwords of the local mail server cannot hold ':', spaces or line breaks.");
        }

        await _passwdLock.WaitAsync(cancellationToken);
        try
        {
            var key = address.ToLowerInvariant() + ":";
            var lines = (await File.ReadAllLinesAsync(_passwdFile, cancellationToken))
                .Where(l => !l.StartsWith(key, StringComparison.Ordinal))
                .Append($"{address.ToLowerInvariant()}:{{PLAIN}}{password}:{_mailUid}:{_mailGid}::{MailboxFolder(address)}");
            var temporary = _passwdFile + ".new";
            await LocalFolders.WriteSecretAsync(temporary, string.Join('\n', lines) + "\n", cancellationToken, PasswdFileMode);
            var now = DateTime.UtcNow;
            var previous = File.GetLastWriteTimeUtc(_passwdFile);
            var stamp = WholeSeconds(now) > WholeSeconds(previous) ? now : WholeSeconds(previous).AddSeconds(1);
            File.SetLastWriteTimeUtc(temporary, stamp);
            File.Move(temporary, _passwdFile, overwrite: true);

            var nextSecond = WholeSeconds(DateTime.UtcNow).AddSeconds(1).AddMilliseconds(20);
            await Task.Delay(nextSecond - DateTime.UtcNow, cancellationToken);
        }
        finally
        {
            _passwdLock.Release();
        }
    }

    /// <summary>
    /// Ends every IMAP and POP3 session of the mailbox, as a server restart or an administrator would, and returns once
    /// Dovecot lists none of them any more.
    /// </summary>
    public async Task DisconnectSessionsAsync(string address, CancellationToken cancellationToken = default)
    {
        var doveadm = ProcessRunner.Find("doveadm") ?? "doveadm";
        await ProcessRunner.RunAsync(doveadm, ["-c", _dovecotConfig, "kick", address.ToLowerInvariant()], cancellationToken);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var sessions = await ProcessRunner.RunAsync(doveadm, ["-c", _dovecotConfig, "who", "-1", address.ToLowerInvariant()], cancellationToken);
            if (!sessions.Contains(address, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new LocalServerException($"Dovecot still lists sessions of {address} after kicking them.");
    }

    private static DateTime WholeSeconds(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, time.Kind);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _silent.DisposeAsync();
            await StopServersAsync(quietly: false);
            LocalFolders.RemoveRuntime(_runtime);
        }
    }

    private async Task StopServersAsync(bool quietly)
    {
        var errors = new List<string>();
        foreach (var (tool, arguments) in new[]
                 {
                     ("postfix", new[] { "-c", _postfixConfigFolder, "stop" }),
                     ("doveadm", new[] { "-c", _dovecotConfig, "stop" }),
                 })
        {
            try
            {
                await ProcessRunner.RunAsync(ProcessRunner.Find(tool) ?? tool, arguments, CancellationToken.None, timeout: TimeSpan.FromSeconds(30));
            }
            catch (LocalServerException e)
            {
                errors.Add(e.Message);
            }
        }

        if (!quietly && errors.Count > 0)
        {
            throw new LocalServerException(string.Join(Environment.NewLine, errors));
        }
    }

    private static LocalServerException Missing(string tool, string packages) =>
        new($"{tool} was not found. Install it with: apt-get install -y {packages}");

    private static string DovecotConfig(
        string runtime, string logs, TlsMaterial tls, TlsMaterial untrustedTls, string passwdFile, MailServerEndpoints endpoints,
        int lmtpPort, int authPort, string domain, string instanceName)
    {
        return $$"""
            # Written by MailAccounts for its private mail server; rewritten at every start.
            instance_name = {{instanceName}}
            base_dir = {{runtime}}
            state_dir = {{runtime}}/state
            log_path = {{logs}}/dovecot.log
            listen = {{endpoints.Host}}, {{endpoints.UntrustedHost}}, {{endpoints.NoTlsHost}}
            protocols = imap pop3 lmtp
            ssl = yes
            ssl_cert = <{{tls.ServerCertificatePath}}
            ssl_key = <{{tls.ServerKeyPath}}
            ssl_min_protocol = TLSv1.2
            auth_mechanisms = plain login
            # The specs fail logins on purpose; Dovecot would otherwise slow every later login from loopback.
            # Its documented switch for the growing penalty is an anvil socket nobody may open.
            auth_failure_delay = 0
            service anvil {
              unix_listener anvil-auth-penalty {
                mode = 0
              }
            }
            first_valid_uid = 1
            first_valid_gid = 1
            mail_location = maildir:~/Maildir
            postmaster_address = postmaster@{{domain}}
            recipient_delimiter = +
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%Lu {{passwdFile}}
            }
            userdb {
              driver = passwd-file
              args = username_format=%Lu {{passwdFile}}
            }
            service imap-login {
              inet_listener imap {
                port = {{endpoints.Imap}}
              }
              inet_listener imaps {
                address = {{endpoints.Host}}, {{endpoints.UntrustedHost}}
                port = {{endpoints.Imaps}}
                ssl = yes
              }
            }
            service pop3-login {
              inet_listener pop3 {
                port = {{endpoints.Pop3}}
              }
              inet_listener pop3s {
                address = {{endpoints.Host}}, {{endpoints.UntrustedHost}}
                port = {{endpoints.Pop3s}}
                ssl = yes
              }
            }
            service lmtp {
              inet_listener lmtp {
                address = {{endpoints.Host}}
                port = {{lmtpPort}}
              }
            }
            service auth {
              inet_listener auth {
                address = {{endpoints.Host}}
                port = {{authPort}}
              }
            }
            namespace inbox {
              inbox = yes
              separator = /
              mailbox Sent {
                special_use = \Sent
                auto = subscribe
              }
              mailbox Trash {
                special_use = \Trash
                auto = subscribe
              }
              mailbox Drafts {
                special_use = \Drafts
                auto = subscribe
              }
              mailbox Junk {
                special_use = \Junk
                auto = subscribe
              }
            }
            # Misbehaving on purpose: a certificate from an authority nobody trusts.
            local {{endpoints.UntrustedHost}} {
              ssl_cert = <{{untrustedTls.ServerCertificatePath}}
              ssl_key = <{{untrustedTls.ServerKeyPath}}
            }
            # Misbehaving on purpose: no STARTTLS (and no imaps/pop3s listener), yet passwords in the clear are accepted.
            local {{endpoints.NoTlsHost}} {
              ssl = no
              disable_plaintext_auth = no
            }

            """;
    }

    /// <summary>A recipient the private Postfix refuses for good (550) at RCPT TO, as a real server refuses an unknown mailbox.</summary>
    public string RefusedRecipient => $"{RefusedLocalPart}@{Endpoints.Domain}";

    /// <summary>A recipient the private Postfix refuses for the time being (450), as a busy or greylisting server does.</summary>
    public string DeferredRecipient => $"{DeferredLocalPart}@{Endpoints.Domain}";

    private const string RefusedLocalPart = "refused";
    private const string DeferredLocalPart = "busy";

    private static string RecipientAccess(string domain) =>
        "check_recipient_access inline:{ "
        + $"{{ {RefusedLocalPart}@{domain} = 550 5.1.1 no such mailbox }}, "
        + $"{{ {DeferredLocalPart}@{domain} = 450 4.2.1 mailbox busy, try again later }} }}";

    /// <summary>Stops Postfix alone, as a server that went down; Dovecot keeps running.</summary>
    public Task StopPostfixAsync(CancellationToken cancellationToken = default) =>
        ProcessRunner.RunAsync(ProcessRunner.Find("postfix") ?? "postfix", ["-c", _postfixConfigFolder, "stop"], cancellationToken, timeout: TimeSpan.FromSeconds(30));

    /// <summary>Starts Postfix again after <see cref="StopPostfixAsync"/>, returning once it listens.</summary>
    public async Task StartPostfixAsync(CancellationToken cancellationToken = default)
    {
        await ProcessRunner.StartDaemonAsync(ProcessRunner.Find("postfix") ?? "postfix", ["-c", _postfixConfigFolder, "start"],
            Path.Combine(Path.GetDirectoryName(PostfixLog)!, "postfix-start.log"), cancellationToken);
        await FreePorts.WaitUntilListeningAsync(Endpoints.Smtp, TimeSpan.FromSeconds(30), "Postfix", cancellationToken);
    }

    private static string PostfixMain(string queue, string data, string logs, TlsMaterial tls, string domain, int lmtpPort, int authPort) => $"""
        # Written by MailAccounts for its private mail server; rewritten at every start.
        compatibility_level = 3.6
        queue_directory = {queue}
        data_directory = {data}
        command_directory = /usr/sbin
        daemon_directory = /usr/lib/postfix/sbin
        meta_directory = /etc/postfix
        shlib_directory = /usr/lib/postfix
        mail_owner = postfix
        setgid_group = postdrop
        myhostname = mail.{domain}
        mydomain = {domain}
        myorigin = {domain}
        mydestination =
        inet_interfaces = loopback-only
        inet_protocols = ipv4
        mynetworks = 127.0.0.0/8
        relay_domains =
        virtual_mailbox_domains = {domain}
        virtual_transport = lmtp:inet:127.0.0.1:{lmtpPort}
        default_transport = error:this test server delivers only to {domain}
        smtpd_sasl_auth_enable = yes
        smtpd_sasl_type = dovecot
        smtpd_sasl_path = inet:127.0.0.1:{authPort}
        smtpd_tls_cert_file = {tls.ServerCertificatePath}
        smtpd_tls_key_file = {tls.ServerKeyPath}
        smtpd_tls_security_level = may
        smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
        smtpd_recipient_restrictions = {RecipientAccess(domain)}
        maillog_file = {logs}/postfix.log
        maillog_file_prefixes = {logs}
        smtputf8_enable = yes
        biff = no
        alias_maps =
        alias_database =
        local_recipient_maps =
        bounce_queue_lifetime = 0
        maximal_queue_lifetime = 0

        """;

    private static string PostfixMaster(MailServerEndpoints endpoints, TlsMaterial untrustedTls) => $"""
        # service type  private unpriv  chroot  wakeup  maxproc command
        {endpoints.Host}:{endpoints.Smtp} inet n - n - - smtpd
        {endpoints.Host}:{endpoints.Submissions} inet n - n - - smtpd
          -o smtpd_tls_wrappermode=yes
        {endpoints.Host}:{endpoints.SmtpWithoutTls} inet n - n - - smtpd
          -o smtpd_tls_security_level=none
        # Misbehaving on purpose: a certificate from an authority nobody trusts.
        {endpoints.UntrustedHost}:{endpoints.Smtp} inet n - n - - smtpd
          -o smtpd_tls_cert_file={untrustedTls.ServerCertificatePath}
          -o smtpd_tls_key_file={untrustedTls.ServerKeyPath}
        {endpoints.UntrustedHost}:{endpoints.Submissions} inet n - n - - smtpd
          -o smtpd_tls_wrappermode=yes
          -o smtpd_tls_cert_file={untrustedTls.ServerCertificatePath}
          -o smtpd_tls_key_file={untrustedTls.ServerKeyPath}
        # Misbehaving on purpose: no STARTTLS on the usual SMTP port number.
        {endpoints.NoTlsHost}:{endpoints.Smtp} inet n - n - - smtpd
          -o smtpd_tls_security_level=none
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        tlsmgr    unix  -       -       n       1000?   1       tlsmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        smtp      unix  -       -       n       -       -       smtp
        relay     unix  -       -       n       -       -       smtp
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        lmtp      unix  -       -       n       -       -       lmtp
        anvil     unix  -       -       n       -       1       anvil
        scache    unix  -       -       n       -       1       scache
        postlog   unix-dgram n  -       n       -       1       postlogd

        """;

    /// <summary>Accepts connections on a free loopback port and holds them, never sending a byte, until disposed.</summary>
    private sealed class SilentListener : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Socket> _held = [];
        private readonly Task _accepting;

        private SilentListener(TcpListener listener)
        {
            _listener = listener;
            _accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static SilentListener Start()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new SilentListener(listener);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _accepting;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopping the listener ends the pending accept; nothing else to do.
            }

            lock (_held)
            {
                foreach (var socket in _held)
                {
                    socket.Dispose();
                }

                _held.Clear();
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(socket);
                }
            }
        }
    }
}
