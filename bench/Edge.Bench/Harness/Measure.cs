using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Edge.Bench.Harness;

/// <summary>Timing and memory helpers used inside child processes.</summary>
internal static class Measure
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times unmeasured, then <paramref name="runs"/> times measured.</summary>
    /// <returns>Each measured run's duration in milliseconds.</returns>
    public static double[] Repeat(Action action, int warmup, int runs)
    {
        for (var i = 0; i < warmup; i++)
        {
            action();
        }

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return samples;
    }

    /// <summary>Summarises samples as p50/p95/p99/mean/min in milliseconds.</summary>
    public static JsonObject Summarize(double[] samplesMilliseconds)
    {
        var sorted = samplesMilliseconds.Order().ToArray();
        return new JsonObject
        {
            ["runs"] = sorted.Length,
            ["p50_ms"] = Percentile(sorted, 0.50),
            ["p95_ms"] = Percentile(sorted, 0.95),
            ["p99_ms"] = Percentile(sorted, 0.99),
            ["mean_ms"] = sorted.Average(),
            ["min_ms"] = sorted[0],
        };
    }

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>The process's peak resident set size in bytes (VmHWM on Linux), or the current working set elsewhere.</summary>
    public static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                    return kilobytes * 1024;
                }
            }
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}
