using System.Globalization;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>Machine and process figures from /proc: load average, whole-machine CPU, a process tree's CPU seconds.</summary>
internal static class ProcFigures
{
    /// <summary>The whole line of /proc/loadavg (three averages, running/total tasks, last pid), or null where there is none.</summary>
    public static string? LoadAverageLine() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;

    /// <summary>The first three fields of /proc/loadavg.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>Busy and total jiffies of all CPUs (the first line of /proc/stat; idle and iowait count as not busy).</summary>
    public static (long Busy, long Total) MachineJiffies()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }

    /// <summary>The id of the first process whose command line contains <paramref name="text"/>, or 0.</summary>
    public static int FindPid(string text)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(Path.Combine(directory, "cmdline"))?.Replace('\0', ' ').Contains(text, StringComparison.Ordinal) == true)
            {
                return pid;
            }
        }

        return 0;
    }

    /// <summary>User + system CPU seconds of <paramref name="pid"/> and, with <paramref name="withChildren"/>, its live children (0 for a process gone).</summary>
    public static double CpuSeconds(int pid, bool withChildren = false)
    {
        var seconds = Stat(pid) is { } own ? Ticks(own) : 0;
        if (withChildren)
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                    && Stat(child) is { } fields && fields[1] == pid.ToString(CultureInfo.InvariantCulture))
                {
                    seconds += Ticks(fields);
                }
            }
        }

        return seconds;
    }

    /// <summary>VmHWM (peak RSS) of <paramref name="pid"/> in MiB, or 0 for a process gone.</summary>
    public static double PeakRssMib(int pid)
    {
        var line = TryRead($"/proc/{pid}/status")?.Split('\n').FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : Math.Round(long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0, 1);
    }

    private static double Ticks(string[] fields) =>
        (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // USER_HZ 100

    /// <summary>The fields of /proc/{pid}/stat after the command name (state first, then ppid), or null.</summary>
    private static string[]? Stat(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        return stat is null ? null : stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
