using System.Diagnostics;
using Edge.Sdk.Inference;

namespace Edge.Agent.Ota.Health;

/// <summary>
/// Times two sessions side by side on the same machine state: after warm-up runs, each round runs both once, in
/// alternating order, so background load and frequency changes hit both alike. Returns each one's p95 in ms.
/// </summary>
internal static class LatencyComparison
{
    private const int WarmupRuns = 3;

    public static (double CandidateP95Ms, double CurrentP95Ms) Measure(InferenceRequest candidate, InferenceRequest current, int runs)
    {
        for (var i = 0; i < WarmupRuns; i++)
        {
            candidate.RunCore(measured: false);
            current.RunCore(measured: false);
        }

        var candidateMs = new double[runs];
        var currentMs = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            if (i % 2 == 0)
            {
                candidateMs[i] = Time(candidate);
                currentMs[i] = Time(current);
            }
            else
            {
                currentMs[i] = Time(current);
                candidateMs[i] = Time(candidate);
            }
        }

        return (P95(candidateMs), P95(currentMs));
    }

    /// <summary>Nearest-rank 95th percentile.</summary>
    public static double P95(double[] values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(0.95 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static double Time(InferenceRequest request)
    {
        var start = Stopwatch.GetTimestamp();
        request.RunCore(measured: false);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
