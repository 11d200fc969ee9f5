using System.Diagnostics;

namespace MailAccounts.Specs.Integration.LocalServers;

/// <summary>Owner, group and mode of a file as the system reports them (stat), not as the product believes them to be.</summary>
internal sealed record FileStatus(string Owner, string Group, int Mode, string Kind)
{
    public bool OthersMayRead => (Mode & 0b100) != 0;

    public bool OthersMayWrite => (Mode & 0b010) != 0;

    public static FileStatus Of(string path)
    {
        var output = Run("stat", "-c", "%U|%G|%a|%F", "--", path).Split('|');
        return new FileStatus(output[0], output[1], Convert.ToInt32(output[2], 8), output[3]);
    }

    public static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {process.StandardError.ReadToEnd()}");
        }

        return output.Trim();
    }
}
