using System.Diagnostics;
using System.Globalization;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Health;

/// <summary>
/// Times two sessions side by side: after warm-up runs, each round runs both once, in alternating order, so the
/// machine's state hits both alike. On Linux a run during which the thread was involuntarily switched out (another
/// process took the core: <c>nonvoluntary_ctxt_switches</c> in <c>/proc/thread-self/status</c> grew) is discarded and
/// run again, because its time measures the scheduler, not the model; after ten times the wanted runs, whatever was
/// collected is used. Returns each one's p95 in ms.
/// </summary>
internal static class LatencyComparison
{
    /// <summary>
    /// A candidate at most this much slower (p95, ms) never fails the latency gate whatever the ratio: below it the
    /// difference is timer and scheduler noise (a 40 µs model measured 56 µs beside itself on a loaded machine).
    /// </summary>
    public const double NoiseFloorMs = 0.05;

    private const int WarmupRuns = 3;
    private const string ThreadStatus = "/proc/thread-self/status";
    private const string SwitchesKey = "nonvoluntary_ctxt_switches:";

    /// <summary>Whether <paramref name="candidateP95Ms"/> fails the gate: over the ratio and more than <see cref="NoiseFloorMs"/> slower.</summary>
    public static bool Regressed(double candidateP95Ms, double currentP95Ms, double maxRatio) =>
        candidateP95Ms > maxRatio * currentP95Ms && candidateP95Ms - currentP95Ms > NoiseFloorMs;

    public static (double CandidateP95Ms, double CurrentP95Ms) Measure(InferenceRequest candidate, InferenceRequest current, int runs)
    {
        for (var i = 0; i < WarmupRuns; i++)
        {
            candidate.RunUnmeasured();
            current.RunUnmeasured();
        }

        var candidateMs = new List<double>(runs);
        var currentMs = new List<double>(runs);
        var canDetect = NonvoluntarySwitches() is not null;
        for (var round = 0; round < runs * 10 && (candidateMs.Count < runs || currentMs.Count < runs); round++)
        {
            if (round % 2 == 0)
            {
                Sample(candidate, candidateMs, runs, canDetect);
                Sample(current, currentMs, runs, canDetect);
            }
            else
            {
                Sample(current, currentMs, runs, canDetect);
                Sample(candidate, candidateMs, runs, canDetect);
            }
        }

        return (P95([.. candidateMs]), P95([.. currentMs]));
    }

    /// <summary>Nearest-rank 95th percentile.</summary>
    public static double P95(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        return NearestRank([.. values.Order()], 0.95);
    }

    /// <summary>Nearest-rank percentile <paramref name="fraction"/> (0-1) of values already sorted ascending; not empty.</summary>
    public static double NearestRank(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void Sample(InferenceRequest request, List<double> samples, int runs, bool canDetect)
    {
        if (samples.Count >= runs)
        {
            return;
        }

        var before = canDetect ? NonvoluntarySwitches() : null;
        var start = Stopwatch.GetTimestamp();
        request.RunUnmeasured();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!canDetect || before == NonvoluntarySwitches())
        {
            samples.Add(elapsed);
        }
    }

    private static long? NonvoluntarySwitches()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            foreach (var line in File.ReadLines(ThreadStatus))
            {
                if (line.StartsWith(SwitchesKey, StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(SwitchesKey.Length).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
