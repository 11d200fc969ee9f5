using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MailAccounts.Infrastructure.LocalServers;

/// <summary>Runs the command-line tools of the local servers and reports their own words when they fail.</summary>
internal static class ProcessRunner
{
    public static bool IsRoot => Environment.UserName == "root" || GetEffectiveUserId() == 0;

    public static uint EffectiveUserId => GetEffectiveUserId();

    public static async Task<string> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        string? runAsUser = null,
        string? standardInput = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            // Not the host's own folder: a server user (postgres) may not be allowed to enter it, and initdb refuses
            // to start where it cannot change back to its working directory.
            WorkingDirectory = "/",
        };

        if (runAsUser is not null)
        {
            // initdb and postgres refuse to run as root; runuser drops to the unprivileged owner of the data folder.
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(runAsUser);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(fileName);
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new LocalServerException($"Could not start {fileName}.");
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new LocalServerException($"{fileName} did not finish in time.");
        }

        var stdout = await output;
        var stderr = await error;
        if (process.ExitCode != 0)
        {
            throw new LocalServerException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.Trim()} {stdout.Trim()}".Trim());
        }

        return stdout;
    }

    /// <summary>
    /// Runs a command that starts a daemon. Daemons keep the standard streams they inherit, so reading a pipe to
    /// its end would wait for the daemon to exit; their output goes to a file instead, quoted when they fail.
    /// </summary>
    public static async Task StartDaemonAsync(string fileName, IEnumerable<string> arguments, string outputFile, CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync("sh", ["-c", "\"$@\" > \"$0\" 2>&1 < /dev/null", outputFile, fileName, .. arguments], cancellationToken);
        }
        catch (LocalServerException)
        {
            var output = File.Exists(outputFile) ? (await File.ReadAllTextAsync(outputFile, cancellationToken)).Trim() : "";
            throw new LocalServerException($"{fileName} {string.Join(' ', arguments)} failed: {output}");
        }
    }

    /// <summary>Finds a tool on PATH or in the usual system folders, which are not on a non-root PATH on Debian.</summary>
    public static string? Find(string tool, params string[] extraFolders)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var folders = extraFolders
            .Concat(path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        return folders.Select(f => Path.Combine(f, tool)).FirstOrDefault(File.Exists);
    }

    public static void MakeTraversable(string folder) =>
        File.SetUnixFileMode(folder, File.GetUnixFileMode(folder) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute
            | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    public static Task ChangeOwnerAsync(string path, string owner, CancellationToken cancellationToken) =>
        RunAsync("chown", ["-R", owner, path], cancellationToken);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserIdNative();

    private static uint GetEffectiveUserId()
    {
        try
        {
            return GetEffectiveUserIdNative();
        }
        catch (DllNotFoundException)
        {
            return uint.MaxValue;
        }
    }
}

public sealed class LocalServerException(string message) : Exception(message);
