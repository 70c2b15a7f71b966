using System.Globalization;
using Edge.Agent.Protocol;

namespace Edge.Agent.Telemetry;

/// <summary>
/// Reads system figures from /proc and /sys under an injectable root (tests and containers point it elsewhere).
/// Every figure degrades to null on its own when its file is missing or unreadable. CPU percent is the busy share
/// of CPU time since the previous read, so the first read reports null.
/// </summary>
internal sealed class SystemMetricsReader
{
    /// <summary>Raspberry Pi firmware flags; bits 0-3 are "now": under-voltage, frequency capped, throttled, soft temperature limit.</summary>
    internal const string RaspberryPiThrottledPath = "sys/devices/platform/soc/soc:firmware/get_throttled";

    private readonly string _root;
    private readonly string _diskPath;
    private (long Busy, long Total)? _previousCpu;

    public SystemMetricsReader(string systemRoot, string diskPath)
    {
        _root = systemRoot;
        _diskPath = diskPath;
    }

    public SystemFigures Read()
    {
        var memory = ReadMemory();
        var disk = ReadDisk();
        var throttle = ReadThrottle();
        return new SystemFigures
        {
            CpuPercent = ReadCpuPercent(),
            MemoryTotalBytes = memory.Total,
            MemoryAvailableBytes = memory.Available,
            TemperatureCelsius = ReadTemperature(),
            DiskTotalBytes = disk.Total,
            DiskAvailableBytes = disk.Available,
            UptimeSeconds = ReadUptime(),
            Throttled = throttle.Throttled,
            ThrottleFlags = throttle.Flags,
        };
    }

    private double? ReadCpuPercent()
    {
        var line = ReadLines("proc/stat")?.FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(ParseLong).ToArray();
        if (fields.Length < 4 || fields.Any(f => f is null))
        {
            return null;
        }

        // user nice system idle iowait irq softirq steal ...; idle and iowait are not busy. Guest time is already in user.
        var values = fields.Take(8).Select(f => f!.Value).ToArray();
        var total = values.Sum();
        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        var current = (Busy: total - idle, Total: total);
        var previous = _previousCpu;
        _previousCpu = current;
        if (previous is null || current.Total <= previous.Value.Total)
        {
            return null;
        }

        return Math.Round(100.0 * (current.Busy - previous.Value.Busy) / (current.Total - previous.Value.Total), 2);
    }

    private (long? Total, long? Available) ReadMemory()
    {
        var lines = ReadLines("proc/meminfo");
        if (lines is null)
        {
            return (null, null);
        }

        long? Field(string name)
        {
            var line = lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal));
            var number = line?[(name.Length + 1)..].Trim().Split(' ')[0];
            return ParseLong(number) * 1024;
        }

        return (Field("MemTotal"), Field("MemAvailable"));
    }

    private double? ReadTemperature()
    {
        var thermal = Path.Combine(_root, "sys/class/thermal");
        try
        {
            if (!Directory.Exists(thermal))
            {
                return null;
            }

            double? hottest = null;
            foreach (var zone in Directory.EnumerateDirectories(thermal, "thermal_zone*"))
            {
                var milli = ParseLong(ReadText(Path.Combine(zone, "temp"))?.Trim());
                if (milli is not null && (hottest is null || milli.Value / 1000.0 > hottest))
                {
                    hottest = milli.Value / 1000.0;
                }
            }

            return hottest;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private (long? Total, long? Available) ReadDisk()
    {
        try
        {
            var drive = new DriveInfo(_diskPath);
            return drive.IsReady ? (drive.TotalSize, drive.AvailableFreeSpace) : (null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, null);
        }
    }

    private double? ReadUptime()
    {
        var first = ReadText(Path.Combine(_root, "proc/uptime"))?.Split(' ')[0];
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
    }

    private (bool? Throttled, string? Flags) ReadThrottle()
    {
        var text = ReadText(Path.Combine(_root, RaspberryPiThrottledPath))?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (null, null);
        }

        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return long.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags)
            ? ((flags & 0xF) != 0, "0x" + flags.ToString("x", CultureInfo.InvariantCulture))
            : (null, text);
    }

    private string[]? ReadLines(string relative) => ReadText(Path.Combine(_root, relative))?.Split('\n');

    private static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? ParseLong(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
