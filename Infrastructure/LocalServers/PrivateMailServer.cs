namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>
/// Dovecot (IMAP, POP3, LMTP) and Postfix (SMTP, delivering into Dovecot over LMTP) of our own, in one folder
/// and on free loopback ports. Mail to an unknown user of the domain bounces with a real delivery-status
/// notification; mail to any other domain is refused by the error transport, so nothing leaves the machine.
/// Their configurations are the templates in <c>Templates/</c> (<see cref="ServerConfigurationTemplates"/>); the
/// mailboxes and their passwords are a <see cref="MailboxDirectory"/>. It misbehaves (<see cref="MisbehavingEndpoints"/>)
/// only when started with <c>misbehave: true</c>, as the specs do; the demo never is. It keeps a mailbox quota
/// (IMAP QUOTA) only when started with one, as the demo and the specs are; the listing benchmark's server is not.
/// </summary>
public sealed class PrivateMailServer : IAsyncDisposable
{
    /// <summary>The quota of every mailbox of the demo's and the specs' server: 1 GiB, a usual size for a small provider.</summary>
    public const long UsualQuotaBytes = 1L << 30;

    // Linux routes all of 127.0.0.0/8 to the loopback interface, so these need no set-up.
    private const string UntrustedHost = "127.0.0.2";
    private const string NoTlsHost = "127.0.0.3";

    private const string RefusedLocalPart = "refused";
    private const string DeferredLocalPart = "busy";

    private readonly string _dovecotConfig;
    private readonly string _postfixConfigFolder;
    private readonly MailboxDirectory _mailboxes;
    private readonly string _runtime;
    private readonly SilentListener? _silent;
    private readonly PrivateAuthorizationServer? _authorization;
    private int _stopped;

    private PrivateMailServer(
        MailServerEndpoints endpoints, string dovecotConfig, string postfixConfigFolder, MailboxDirectory mailboxes,
        string logFolder, string runtime, SilentListener? silent, PrivateAuthorizationServer? authorization)
    {
        Endpoints = endpoints;
        _authorization = authorization;
        _silent = silent;
        _runtime = runtime;
        _dovecotConfig = dovecotConfig;
        _postfixConfigFolder = postfixConfigFolder;
        _mailboxes = mailboxes;
        DovecotLog = Path.Combine(logFolder, "dovecot.log");
        PostfixLog = Path.Combine(logFolder, "postfix.log");
    }

    public MailServerEndpoints Endpoints { get; }

    /// <summary>
    /// The OAuth authorization server whose tokens Dovecot accepts (SASL XOAUTH2 and OAUTHBEARER, for IMAP, POP3 and,
    /// through Dovecot, Postfix's SMTP AUTH), when the server was started with one.
    /// </summary>
    public PrivateAuthorizationServer AuthorizationServer => _authorization
        ?? throw new InvalidOperationException("The private mail server was started without an authorization server.");

    /// <summary>Where Dovecot and Postfix keep their sockets and queue while they run.</summary>
    internal string RuntimeFolder => _runtime;

    /// <summary>The mailboxes' passwords, as Dovecot checks them.</summary>
    internal string PasswordFile => _mailboxes.PasswordFile;

    public string DovecotLog { get; }

    public string PostfixLog { get; }

    /// <summary>
    /// Starts the servers over <paramref name="folder"/>. With <paramref name="misbehave"/> they also do what
    /// <see cref="MisbehavingEndpoints"/> describes, for specs of how the product copes; without it nothing listens
    /// on the misbehaving hosts and <see cref="MailServerEndpoints.Misbehaving"/> is null. With
    /// <paramref name="quotaBytes"/> every mailbox has that quota (Dovecot's quota plugin, count backend) and IMAP
    /// offers QUOTA; without it the quota plugin is not loaded at all, so a benchmark's server does no quota work.
    /// With <paramref name="authorization"/> an OAuth authorization server (<see cref="PrivateAuthorizationServer"/>)
    /// starts first and Dovecot also signs mailboxes in with its access tokens, checked by introspection.
    /// </summary>
    public static async Task<PrivateMailServer> StartAsync(
        string folder, string domain, bool misbehave = false, long? quotaBytes = null, AuthorizationServerSettings? authorization = null,
        CancellationToken cancellationToken = default)
    {
        if (quotaBytes is < 1024 or > int.MaxValue * 1024L)
        {
            throw new ArgumentOutOfRangeException(nameof(quotaBytes), "A quota is at least 1 KiB and less than 2 TiB.");
        }

        if (!ProcessRunner.IsRoot)
        {
            throw new LocalServerException(
                "The local mail server needs root: Postfix starts only as root. Run as root, or without the demo mail server.");
        }

        var dovecot = ProcessRunner.Find("dovecot") ?? throw Missing("dovecot", "dovecot-imapd dovecot-pop3d dovecot-lmtpd");
        var postfix = ProcessRunner.Find("postfix") ?? throw Missing("postfix", "postfix");

        folder = Path.GetFullPath(folder);
        LocalFolders.CreateDirectory(folder);
        LocalFolders.CreateDirectory(folder, "logs");
        var tls = TlsMaterial.CreateOrReuse(Path.Combine(folder, "tls"), "MailAccounts local CA", ["localhost", "127.0.0.1", "mail." + domain]);
        var mailboxes = await MailboxDirectory.OpenAsync(folder, cancellationToken);

        var silent = misbehave ? SilentListener.Start() : null;
        PrivateAuthorizationServer? authorizationServer = null;
        try
        {
            if (authorization is not null)
            {
                authorizationServer = await StartAuthorizationServerAsync(folder, mailboxes, authorization, cancellationToken);
            }

            for (var attempt = 1; ; attempt++)
            {
                // A failed start removes its runtime folder: each attempt has its own.
                var runtime = LocalFolders.CreateDirectory(await LocalFolders.RuntimeForAsync(folder, cancellationToken), "mail");
                try
                {
                    return await StartServersAsync(
                        dovecot, postfix, folder, domain, runtime, tls, mailboxes, silent, authorizationServer, quotaBytes, cancellationToken);
                }
                catch (LocalServerException e) when (attempt < 3 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
                {
                    // A port found free was taken before the server bound it: the next attempt chooses other ports.
                    File.Delete(Path.Combine(folder, "ports"));
                }
            }
        }
        catch
        {
            if (silent is not null)
            {
                await silent.DisposeAsync();
            }

            if (authorizationServer is not null)
            {
                await authorizationServer.DisposeAsync();
            }

            throw;
        }
    }

    private static async Task<PrivateAuthorizationServer> StartAuthorizationServerAsync(
        string folder, MailboxDirectory mailboxes, AuthorizationServerSettings settings, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // Its own remembered port, so that the mail servers' nine stay as they were.
            var port = FreePorts.TakeRemembered(Path.Combine(folder, "oauth-port"), 1)[0];
            try
            {
                return await PrivateAuthorizationServer.StartAsync(Path.Combine(folder, "oauth"), port, mailboxes.HasPasswordAsync, settings, cancellationToken);
            }
            catch (LocalServerException) when (attempt < 3)
            {
                File.Delete(Path.Combine(folder, "oauth-port"));
            }
        }
    }

    private static async Task<PrivateMailServer> StartServersAsync(
        string dovecot, string postfix, string folder, string domain, string runtime, TlsMaterial tls, MailboxDirectory mailboxes,
        SilentListener? silent, PrivateAuthorizationServer? authorization, long? quotaBytes, CancellationToken cancellationToken)
    {
        var logs = Path.Combine(folder, "logs");
        var ports = FreePorts.TakeRemembered(Path.Combine(folder, "ports"), 9);
        var misbehaving = silent is null
            ? null
            : new MisbehavingEndpoints(UntrustedHost, NoTlsHost, silent.Port,
                RefusedRecipient: $"{RefusedLocalPart}@{domain}", DeferredRecipient: $"{DeferredLocalPart}@{domain}");
        var endpoints = new MailServerEndpoints("127.0.0.1", domain,
            Imap: ports[0], Imaps: ports[1], Pop3: ports[2], Pop3s: ports[3], Smtp: ports[4], Submissions: ports[5],
            SmtpWithoutTls: ports[6], tls.AuthorityCertificatePath, misbehaving);
        var lmtpPort = ports[7];
        var authPort = ports[8];

        var values = new Dictionary<string, object>
        {
            ["domain"] = domain,
            ["host"] = endpoints.Host,
            ["logs"] = logs,
            ["certificate"] = tls.ServerCertificatePath,
            ["key"] = tls.ServerKeyPath,
            ["imap"] = endpoints.Imap,
            ["imaps"] = endpoints.Imaps,
            ["pop3"] = endpoints.Pop3,
            ["pop3s"] = endpoints.Pop3s,
            ["smtp"] = endpoints.Smtp,
            ["submissions"] = endpoints.Submissions,
            ["smtp_without_tls"] = endpoints.SmtpWithoutTls,
            ["lmtp"] = lmtpPort,
            ["auth"] = authPort,
            ["passwd_file"] = mailboxes.PasswordFile,
            ["misbehaving"] = misbehaving is not null,
            ["quota"] = quotaBytes is not null,
            ["quota_kilobytes"] = (int)((quotaBytes ?? 0) / 1024),
            ["oauth"] = authorization is not null,
            ["oauth_config"] = authorization is null ? "" : await OAuthConfigurationAsync(folder, authorization, cancellationToken),
        };
        if (misbehaving is not null)
        {
            var untrustedTls = TlsMaterial.CreateOrReuse(
                Path.Combine(folder, "tls-untrusted"), "MailAccounts untrusted CA (trusted by nobody)", [UntrustedHost]);
            values["untrusted_host"] = misbehaving.UntrustedHost;
            values["no_tls_host"] = misbehaving.NoTlsHost;
            values["untrusted_certificate"] = untrustedTls.ServerCertificatePath;
            values["untrusted_key"] = untrustedTls.ServerKeyPath;
            values["refused_recipient"] = misbehaving.RefusedRecipient;
            values["deferred_recipient"] = misbehaving.DeferredRecipient;
        }

        var dovecotRuntime = LocalFolders.CreateDirectory(runtime, "dovecot");
        var dovecotConfig = Path.Combine(folder, "dovecot.conf");
        await File.WriteAllTextAsync(dovecotConfig, ServerConfigurationTemplates.Render(ServerConfigurationTemplates.Dovecot, new Dictionary<string, object>(values)
        {
            ["instance_name"] = Path.GetFileName(Path.GetDirectoryName(runtime))!,
            ["runtime"] = dovecotRuntime,
        }), cancellationToken);

        var postfixConfigFolder = LocalFolders.CreateDirectory(folder, "postfix");
        var queue = LocalFolders.CreateDirectory(runtime, "postfix-queue");
        // Postfix opens its lock and caches there as the postfix user, who may not enter the private runtime folder.
        var postfixData = LocalFolders.CreateDirectory(folder, "postfix-data");
        await ProcessRunner.ChangeOwnerAsync(postfixData, "postfix", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(postfixConfigFolder, "main.cf"), ServerConfigurationTemplates.Render(
            ServerConfigurationTemplates.PostfixMain, new Dictionary<string, object>(values) { ["queue"] = queue, ["data"] = postfixData }),
            cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(postfixConfigFolder, "master.cf"),
            ServerConfigurationTemplates.Render(ServerConfigurationTemplates.PostfixMaster, values), cancellationToken);

        var server = new PrivateMailServer(endpoints, dovecotConfig, postfixConfigFolder, mailboxes, logs, runtime, silent, authorization);

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
    /// Dovecot's oauth2 passdb settings (2.3 syntax): every token is posted to the authorization server's introspection
    /// endpoint with Dovecot's own client credentials, and is good while the answer says active and names the mailbox's
    /// address as its email. Beside the passwd file, readable by root and Dovecot's group alone, since it holds a secret.
    /// </summary>
    private static async Task<string> OAuthConfigurationAsync(string folder, PrivateAuthorizationServer authorization, CancellationToken cancellationToken)
    {
        var introspection = new UriBuilder(authorization.IntrospectionEndpoint)
        {
            UserName = PrivateAuthorizationServer.ResourceServer,
            Password = authorization.ResourceServerSecret,
        }.Uri;
        var path = Path.Combine(folder, "auth", "dovecot-oauth2.conf.ext");
        await LocalFolders.WriteSecretAsync(path, string.Join('\n',
            "# Written by MailAccounts for its private mail server; rewritten at every start.",
            "introspection_mode = post",
            $"introspection_url = {introspection.AbsoluteUri}",
            "force_introspection = yes",
            "username_attribute = email",
            "active_attribute = active",
            "active_value = true",
            ""), cancellationToken, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        return path;
    }

    public string MailboxFolder(string address) => _mailboxes.MailboxFolder(address);

    /// <summary>
    /// Gives files written straight into a mailbox's folder (a benchmark's generated maildir, say) to the unprivileged
    /// user Dovecot reads and writes mail as.
    /// </summary>
    public Task AdoptAsync(string path, CancellationToken cancellationToken = default) => MailboxDirectory.AdoptAsync(path, cancellationToken);

    /// <inheritdoc cref="MailboxDirectory.SetMailboxAsync"/>
    public Task SetMailboxAsync(string address, string password, CancellationToken cancellationToken = default) =>
        _mailboxes.SetMailboxAsync(address, password, null, cancellationToken);

    /// <summary>
    /// The same, with a quota of its own instead of the server's (a rule in the passwd file's extra fields); it counts
    /// only on a server started with a quota.
    /// </summary>
    public Task SetMailboxAsync(string address, string password, long quotaBytes, CancellationToken cancellationToken = default) =>
        _mailboxes.SetMailboxAsync(address, password, quotaBytes, cancellationToken);

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

    /// <summary>How many IMAP and POP3 sessions of the mailbox Dovecot has open now (<c>doveadm who</c>).</summary>
    public async Task<int> SessionCountAsync(string address, CancellationToken cancellationToken = default)
    {
        var doveadm = ProcessRunner.Find("doveadm") ?? "doveadm";
        var sessions = await ProcessRunner.RunAsync(doveadm, ["-c", _dovecotConfig, "who", "-1", address.ToLowerInvariant()], cancellationToken);
        return sessions.Split('\n').Count(line => line.Contains(address, StringComparison.OrdinalIgnoreCase));
    }

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

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            if (_silent is not null)
            {
                await _silent.DisposeAsync();
            }

            await StopServersAsync(quietly: false);
            LocalFolders.RemoveRuntime(_runtime);
            if (_authorization is not null)
            {
                await _authorization.DisposeAsync();
            }
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
}
