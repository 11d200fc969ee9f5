namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>
/// The private Dovecot's mailboxes: the passwd file it signs users in with (passwords in the clear, the scheme
/// <c>{PLAIN}</c>) and a home folder per address, whose mail belongs to one unprivileged system user.
/// </summary>
internal sealed class MailboxDirectory
{
    // Maildirs belong to this unprivileged system user; Debian has it on every machine.
    public const string MailUser = "mail";

    // Dovecot's auth process reads the password file as this user (Debian's default_internal_user).
    private const string AuthGroup = "dovecot";

    private const UnixFileMode PasswdFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private readonly string _mailboxes;
    private readonly string _mailUid;
    private readonly string _mailGid;
    private readonly SemaphoreSlim _lock = new(1, 1);

    private MailboxDirectory(string passwdFile, string mailboxes, string mailUid, string mailGid)
    {
        PasswordFile = passwdFile;
        _mailboxes = mailboxes;
        _mailUid = mailUid;
        _mailGid = mailGid;
    }

    /// <summary>The mailboxes' passwords, as Dovecot checks them.</summary>
    public string PasswordFile { get; }

    /// <summary>The directory in <paramref name="folder"/>: its passwd file made or kept, its mailboxes' folder given to the mail user.</summary>
    public static async Task<MailboxDirectory> OpenAsync(string folder, CancellationToken cancellationToken)
    {
        var mailboxes = LocalFolders.CreateDirectory(folder, "mailboxes");
        var passwdFile = await PasswordFileAsync(folder, cancellationToken);
        await ProcessRunner.ChangeOwnerAsync(mailboxes, $"{MailUser}:{MailUser}", cancellationToken);
        var uid = (await ProcessRunner.RunAsync("id", ["-u", MailUser], cancellationToken)).Trim();
        var gid = (await ProcessRunner.RunAsync("id", ["-g", MailUser], cancellationToken)).Trim();
        return new MailboxDirectory(passwdFile, mailboxes, uid, gid);
    }

    public string MailboxFolder(string address) => Path.Combine(_mailboxes, address.ToLowerInvariant());

    /// <summary>Gives files written straight into a mailbox's folder to the user Dovecot reads and writes mail as.</summary>
    public static Task AdoptAsync(string path, CancellationToken cancellationToken) =>
        ProcessRunner.ChangeOwnerAsync(path, $"{MailUser}:{MailUser}", cancellationToken);

    /// <summary>
    /// Adds a mailbox, or sets a new password for an existing one. Dovecot rereads the file by itself, but looks at it
    /// at most once a second and only when its modification time (in whole seconds) or size changed: every write gets a
    /// later modification time than the one before, and the call returns only once a new second has begun, so the
    /// very next sign-in sees the change (instead of failing once and earning Dovecot's penalty delay). With
    /// <paramref name="quotaBytes"/> the mailbox has a quota of its own (Dovecot's userdb extra field quota_rule).
    /// </summary>
    public async Task SetMailboxAsync(string address, string password, long? quotaBytes, CancellationToken cancellationToken)
    {
        if (quotaBytes is < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(quotaBytes), "A quota is at least 1 KiB.");
        }

        if (address.Any(c => c is ':' or '\n' or '\r' or ' ') || password.Any(c => c is ':' or '\n' or '\r'))
        {
            throw new ArgumentException("Addresses and passwords of the local mail server cannot hold ':', spaces or line breaks.");
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            var key = address.ToLowerInvariant() + ":";
            var lines = (await File.ReadAllLinesAsync(PasswordFile, cancellationToken))
                .Where(l => !l.StartsWith(key, StringComparison.Ordinal))
                .Append($"{address.ToLowerInvariant()}:{{PLAIN}}{password}:{_mailUid}:{_mailGid}::{MailboxFolder(address)}"
                    + (quotaBytes is { } quota ? $"::userdb_quota_rule=*:storage={(quota / 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)}k" : ""));
            var temporary = PasswordFile + ".new";
            await LocalFolders.WriteSecretAsync(temporary, string.Join('\n', lines) + "\n", cancellationToken, PasswdFileMode);
            var now = DateTime.UtcNow;
            var previous = File.GetLastWriteTimeUtc(PasswordFile);
            var stamp = WholeSeconds(now) > WholeSeconds(previous) ? now : WholeSeconds(previous).AddSeconds(1);
            File.SetLastWriteTimeUtc(temporary, stamp);
            File.Move(temporary, PasswordFile, overwrite: true);

            var nextSecond = WholeSeconds(DateTime.UtcNow).AddSeconds(1).AddMilliseconds(20);
            await Task.Delay(nextSecond - DateTime.UtcNow, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Whether the mailbox exists and has this password: the private authorization server signs its users in with the
    /// passwords Dovecot knows, as a provider's sign-in page knows its mailboxes' passwords.
    /// </summary>
    public async Task<bool> HasPasswordAsync(string address, string password, CancellationToken cancellationToken)
    {
        var key = address.ToLowerInvariant() + ":{PLAIN}";
        foreach (var line in await File.ReadAllLinesAsync(PasswordFile, cancellationToken))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var stored = line[key.Length..].Split(':')[0];
                return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(stored), System.Text.Encoding.UTF8.GetBytes(password));
            }
        }

        return false;
    }

    private static DateTime WholeSeconds(DateTime time) => new(time.Ticks - time.Ticks % TimeSpan.TicksPerSecond, time.Kind);

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
}
