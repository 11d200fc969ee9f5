using System.Security.Cryptography;
using System.Text;

namespace MailAccounts.Infrastructure.LocalServers;

internal static class LocalFolders
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// A short folder for sockets and pid files, private to the user who runs the servers (0700, owned by them).
    /// Unix socket paths are limited to about 100 bytes, and a project checked out deep in a file system would
    /// overflow that, so runtime files do not go under the data folder. Root's go under /run, where no other user can
    /// create a name, named after the data folder so that a restart finds a server a host that died left running.
    /// Anyone may create names in /tmp before us, so other users get a fresh folder there that only they could make.
    /// </summary>
    public static Task<string> RuntimeForAsync(string dataFolder, CancellationToken cancellationToken) =>
        RuntimeForAsync(dataFolder, ProcessRunner.IsRoot ? "/run" : null, cancellationToken);

    /// <param name="sharedParent">A folder only the current user can create names in, or null for a fresh temporary folder.</param>
    internal static async Task<string> RuntimeForAsync(string dataFolder, string? sharedParent, CancellationToken cancellationToken)
    {
        var name = "mailaccounts-" + ShortHash(Path.GetFullPath(dataFolder));
        if (sharedParent is null || !Directory.Exists(sharedParent))
        {
            // mkdtemp: a new name, mode 0700, created by us or failing.
            return Directory.CreateTempSubdirectory(name + "-").FullName;
        }

        var folder = Path.Combine(sharedParent, name);
        Directory.CreateDirectory(folder, OwnerOnly);
        await RequirePrivateAsync(folder, cancellationToken);
        return folder;
    }

    /// <summary>
    /// Refuses a folder that is a symbolic link, belongs to another user or is open to others: whoever made it could
    /// read or replace what the servers keep there.
    /// </summary>
    public static async Task RequirePrivateAsync(string folder, CancellationToken cancellationToken)
    {
        var status = (await ProcessRunner.RunAsync("stat", ["-c", "%u %a %F", "--", folder], cancellationToken)).Trim().Split(' ', 3);
        var me = ProcessRunner.EffectiveUserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status[2] != "directory" || status[0] != me || Convert.ToInt32(status[1], 8) != 0b111_000_000)
        {
            throw new LocalServerException(
                $"The runtime folder {folder} is not private to this user (owner {status[0]}, mode {status[1]}, {status[2]}): "
                + "someone else may have made it; remove it and start again.");
        }
    }

    /// <summary>Removes a server's runtime files once it has stopped, and the runtime folder when nothing else is left in it.</summary>
    public static void RemoveRuntime(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            var parent = Path.GetDirectoryName(folder);
            if (parent is not null && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            {
                Directory.Delete(parent);
            }
        }
        catch (IOException)
        {
            // Another server of the same data folder still runs there; it removes the folder when it stops.
        }
    }

    public static string CreateDirectory(params string[] parts)
    {
        var path = Path.Combine(parts);
        Directory.CreateDirectory(path);
        ProcessRunner.MakeTraversable(path);
        return path;
    }

    /// <summary>
    /// Writes a file that holds a secret, readable by its owner alone from the moment it exists (writing first and
    /// restricting afterwards leaves a moment in which any local user may open it).
    /// </summary>
    public static async Task WriteSecretAsync(string path, string contents, CancellationToken cancellationToken, UnixFileMode mode = OwnerReadWrite)
    {
        File.Delete(path);
        await using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        });
        await stream.WriteAsync(Encoding.UTF8.GetBytes(contents), cancellationToken);
    }

    /// <summary>
    /// Whether users other than the owners can reach the folder: every existing folder on the way must let others
    /// pass (x). Unprivileged server users (postgres, mail) cannot enter a folder under a private one, such as root's
    /// home or a <c>mktemp -d</c> folder.
    /// </summary>
    public static bool OthersCanReach(string folder)
    {
        for (var current = Path.GetFullPath(folder); current is not null; current = Path.GetDirectoryName(current))
        {
            if (Directory.Exists(current) && !File.GetUnixFileMode(current).HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }

        return true;
    }

    public static string ShortHash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();

    public static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
}
