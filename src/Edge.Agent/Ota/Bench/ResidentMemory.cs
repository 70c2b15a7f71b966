using System.Globalization;

namespace Edge.Agent.Ota.Bench;

/// <summary>The process's resident set (<c>VmRSS</c> in <c>/proc/self/status</c>), sampled to find what a candidate model costs in memory.</summary>
internal sealed class ResidentMemory
{
    private const string Key = "VmRSS:";
    private readonly long _start;
    private long _peak;

    private ResidentMemory(long start)
    {
        _start = start;
        _peak = start;
    }

    /// <summary>Starts sampling from the current resident size.</summary>
    public static ResidentMemory Start() => new(Read() ?? 0);

    /// <summary>Growth from the start to the highest sample, in bytes; 0 where <c>/proc</c> is not readable.</summary>
    public long PeakGrowthBytes => Math.Max(0, _peak - _start);

    /// <summary>Takes one sample.</summary>
    public void Sample()
    {
        if (Read() is { } now && now > _peak)
        {
            _peak = now;
        }
    }

    private static long? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(Key, StringComparison.Ordinal))
                {
                    var fields = line[Key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(fields[0], CultureInfo.InvariantCulture) * 1024; // the kernel writes kB
                }
            }
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
