using System.Diagnostics;
using System.Globalization;

namespace MailAccounts.Benchmarks.EventStore;

/// <summary>
/// Processor time spent by the benchmark and by its PostgreSQL (the postmaster, its live children, and the children it
/// has reaped). Wall-clock figures depend on whatever else the machine runs; this does far less, so it says what the
/// work costs when other processes take the cores.
/// </summary>
public sealed class CpuMeter(int postmasterPid)
{
    // Linux reports times in clock ticks; USER_HZ is 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static CpuMeter ForCluster(string dataFolder) =>
        new(int.Parse(File.ReadLines(Path.Combine(dataFolder, "postmaster.pid")).First(), CultureInfo.InvariantCulture));

    /// <summary>The benchmark's own and PostgreSQL's processor time so far.</summary>
    public (TimeSpan Client, TimeSpan Server) Now()
    {
        using var self = Process.GetCurrentProcess();
        var ticks = Ticks(postmasterPid, withChildren: true);
        var children = Path.Combine("/proc", postmasterPid.ToString(CultureInfo.InvariantCulture), "task", postmasterPid.ToString(CultureInfo.InvariantCulture), "children");
        if (File.Exists(children))
        {
            foreach (var child in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                ticks += Ticks(int.Parse(child, CultureInfo.InvariantCulture), withChildren: false);
            }
        }

        return (self.TotalProcessorTime, TimeSpan.FromSeconds(ticks / TicksPerSecond));
    }

    private static long Ticks(int pid, bool withChildren)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return 0; // Gone between listing and reading: its time is now in the postmaster's reaped children.
        }

        // The command name is in parentheses and may hold spaces: fields are counted after the closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return Field(14) + Field(15) + (withChildren ? Field(16) + Field(17) : 0);
    }
}
