using System.Globalization;
using Edge.Fleet.Monitoring;

namespace Edge.Fleet.Deployments;

/// <summary>
/// KPIs of the updated devices after activation, against the previous version: pooled median of per-sample p95
/// latencies (robust to one noisy interval), and errors per call. Computed from stored telemetry.
/// </summary>
internal sealed record WaveKpis(int BaselineSamples, double? BaselineP95Ms, int CandidateSamples, double? CandidateP95Ms, long Calls, long Errors)
{
    /// <summary>Relative rise of p95 over the baseline (0.5 = 50% slower); null without both figures.</summary>
    public double? P95Regression => BaselineP95Ms is > 0 && CandidateP95Ms is { } candidate ? (candidate / BaselineP95Ms.Value) - 1 : null;

    public double? ErrorRate => Calls > 0 ? (double)Errors / Calls : null;

    /// <summary>
    /// Candidate rows: the updated devices' rows of the new version taken at or after each device's activation.
    /// Baseline rows: rows of the same model at any other version (before the update, and from devices not yet
    /// updated while the wave soaks). The engine passes only the deployment's own devices' rows.
    /// </summary>
    public static WaveKpis Compute(IReadOnlyList<TelemetryRow> rows, string model, string newVersion, IReadOnlyDictionary<string, DateTimeOffset> activated)
    {
        var baseline = new List<double>();
        var candidate = new List<double>();
        long calls = 0, errors = 0;
        foreach (var row in rows)
        {
            if (row.Model != model || row.Calls is not > 0)
            {
                continue;
            }

            if (row.Version == newVersion)
            {
                if (activated.TryGetValue(row.Device, out var since) && row.At >= since)
                {
                    calls += row.Calls ?? 0;
                    errors += row.Errors ?? 0;
                    if (row.P95Ms is { } p95)
                    {
                        candidate.Add(p95);
                    }
                }
            }
            else if (row.P95Ms is { } p95)
            {
                baseline.Add(p95);
            }
        }

        return new WaveKpis(baseline.Count, Median(baseline), candidate.Count, Median(candidate), calls, errors);
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"p95 {Format(CandidateP95Ms)} ms (n={CandidateSamples}) vs baseline {Format(BaselineP95Ms)} ms (n={BaselineSamples}), regression {(P95Regression is { } r ? r.ToString("P1", CultureInfo.InvariantCulture) : "n/a")}; errors {Errors}/{Calls} calls ({(ErrorRate is { } e ? e.ToString("P2", CultureInfo.InvariantCulture) : "n/a")})");

    private static string Format(double? value) => value?.ToString("F2", CultureInfo.InvariantCulture) ?? "n/a";

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
