using System.Diagnostics;

namespace MailAccounts.Specs.Support;

/// <summary>
/// The shared real-world corpus (<c>../shared/corpus/</c> beside the repository), read in place and never copied into
/// the repository. <c>MAILACCOUNTS_CORPUS</c> names its folder elsewhere. A clone made from a local repository (as
/// CI's clean clone is) finds it beside the repository it was cloned from.
/// </summary>
public static class SharedCorpus
{
    public const string Variable = "MAILACCOUNTS_CORPUS";

    public static string Folder(string part)
    {
        var tried = new List<string>();
        foreach (var root in Roots())
        {
            var folder = Path.GetFullPath(Path.Combine(root, part));
            if (Directory.Exists(folder))
            {
                return folder;
            }

            tried.Add(folder);
        }

        throw new DirectoryNotFoundException(
            $"The shared corpus ({part}) is not in {string.Join(", ", tried)}: set {Variable} to the corpus folder.");
    }

    private static IEnumerable<string> Roots()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } named)
        {
            yield return named;
        }

        var repository = Repository();
        yield return Path.Combine(repository, "..", "shared", "corpus");
        if (Origin(repository) is { } origin)
        {
            yield return Path.Combine(origin, "..", "shared", "corpus");
        }
    }

    private static string Repository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MailAccounts.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No MailAccounts.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The folder of the repository this one was cloned from, when that is a folder on this machine.</summary>
    private static string? Origin(string repository)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", repository, "remote", "get-url", "origin"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            });
            if (git is null)
            {
                return null;
            }

            var url = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            url = url.StartsWith("file://", StringComparison.Ordinal) ? url["file://".Length..] : url;
            return git.ExitCode == 0 && Path.IsPathRooted(url) && Directory.Exists(url) ? url : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
