namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>Where a checkout's embedded servers keep their data between runs.</summary>
public static class DataFolders
{
    /// <summary>Where data goes when the checkout's own <c>.data</c> cannot hold it.</summary>
    public const string SystemRoot = "/var/lib/mailaccounts";

    /// <summary>
    /// <c>.data</c> in the checkout, where the servers can use it. Run as root, the servers run as unprivileged users
    /// (postgres, mail, dovecot) who cannot enter a checkout under a private folder (root's home, a <c>mktemp -d</c>
    /// folder), and Dovecot's and Postfix's settings cannot carry a path with spaces: the data then goes to a folder
    /// of its own under <see cref="SystemRoot"/>, named after the checkout, so that the next run finds it again.
    /// </summary>
    public static string ForCheckout(string checkout) => ForCheckout(checkout, ProcessRunner.IsRoot, SystemRoot);

    internal static string ForCheckout(string checkout, bool asRoot, string systemRoot)
    {
        checkout = Path.GetFullPath(checkout);
        var own = Path.Combine(checkout, ".data");
        if (!asRoot || (LocalFolders.OthersCanReach(own) && !own.Any(char.IsWhiteSpace)))
        {
            return own;
        }

        var name = new string(Path.GetFileName(checkout).ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        var folder = Path.Combine(systemRoot, $"{name.Trim('-')}-{LocalFolders.ShortHash(checkout)}");
        // The servers' users pass through (x) to the folders made for them; nobody else may list what is kept here.
        const UnixFileMode passable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(systemRoot, passable);
        Directory.CreateDirectory(folder, passable);
        File.SetUnixFileMode(folder, passable);
        return folder;
    }
}
