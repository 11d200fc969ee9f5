using System.Security.Cryptography;
using System.Text;

namespace MailAccounts.Infrastructure.LocalServers;

internal static class LocalFolders
{
    /// <summary>
    /// A short folder for sockets and pid files. Unix socket paths are limited to about 100 bytes, and a
    /// project checked out deep in a file system would overflow that, so runtime files go under /tmp,
    /// named after the data folder so that a restart finds them again.
    /// </summary>
    public static string RuntimeFor(string dataFolder)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataFolder)));
        var folder = Path.Combine(Path.GetTempPath(), "mailaccounts-" + Convert.ToHexString(hash)[..12].ToLowerInvariant());
        Directory.CreateDirectory(folder);
        ProcessRunner.MakeTraversable(folder);
        return folder;
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

    public static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
}
