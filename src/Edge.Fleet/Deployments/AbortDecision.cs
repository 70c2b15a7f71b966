using System.Globalization;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Why a rollout stops: the criterion (<c>failure-rate</c>, <c>shadow-agreement</c>, <c>latency-p95-regression</c>,
/// <c>error-rate</c>, <c>insufficient-telemetry</c>) and the figures.
/// </summary>
internal sealed record AbortDecision(string Criterion, string Message)
{
    public const string FailureRate = "failure-rate";
    public const string LatencyRegression = "latency-p95-regression";
    public const string ErrorRate = "error-rate";
    public const string InsufficientTelemetry = "insufficient-telemetry";
    public const string ShadowAgreement = "shadow-agreement";

    /// <summary>The failure criterion for a wave: null while within it.</summary>
    public static AbortDecision? ForFailures(int wave, IReadOnlyList<DeviceRollout> waveDevices, double limit)
    {
        var failed = waveDevices.Where(d => RolloutStates.IsFailure(d.State)).ToArray();
        var rate = waveDevices.Count == 0 ? 0 : (double)failed.Length / waveDevices.Count;
        if (rate <= limit)
        {
            return null;
        }

        var examples = string.Join("; ", failed.Take(3).Select(d => $"{d.Device}: {d.State}{(d.Reason is null ? string.Empty : " (" + d.Reason + ")")}"));
        return new AbortDecision(FailureRate, string.Create(CultureInfo.InvariantCulture,
            $"failure rate {rate:P1} > {limit:P1} in wave {wave + 1}: {failed.Length} of {waveDevices.Count} devices failed or timed out [{examples}]"));
    }

    /// <summary>
    /// The shadow criterion for a wave whose devices have all ended their jobs: its pooled agreement (agreements over
    /// samples, summed over the devices that reported figures) below <see cref="OtaShadowRequest.MinAgreement"/>.
    /// Null for a deployment without shadow, a wave without figures, or an agreement within the limit. Each device
    /// already judged itself on its own figures: those that disagreed never served the candidate.
    /// </summary>
    public static AbortDecision? ForShadow(int wave, IReadOnlyList<DeviceRollout> waveDevices, OtaShadowRequest? shadow)
    {
        var (samples, agreements) = ShadowTally.Pooled(waveDevices);
        if (shadow is null || samples == 0 || (double)agreements / samples >= shadow.MinAgreement)
        {
            return null;
        }

        static double Agreement(DeviceRollout d) => (double)(d.ShadowAgreements ?? 0) / d.ShadowSamples!.Value;
        var figures = waveDevices.Where(d => d.ShadowSamples is > 0).OrderBy(Agreement).ToArray();
        var rejected = figures.Count(d => d.State is RolloutStates.RolledBack or RolloutStates.Failed && Agreement(d) < shadow.MinAgreement);
        var examples = string.Join("; ", figures.Take(3).Select(d => $"{d.Device}: {ShadowTally.Describe(d)} {d.State}"));
        return new AbortDecision(ShadowAgreement, string.Create(CultureInfo.InvariantCulture,
            $"pooled shadow agreement {ShadowTally.Describe(samples, agreements)} < {shadow.MinAgreement:0.###} in wave {wave + 1} over {figures.Length} devices "
            + $"[{examples}]; {rejected} rejected the candidate in shadow and never served it"));
    }

    /// <summary>The KPI criteria after a soak: null while within them.</summary>
    public static AbortDecision? ForKpis(int wave, WaveKpis kpis, DeploymentOptions options)
    {
        if (options.AbortLatencyP95Regression is { } latencyLimit && kpis.P95Regression is { } regression && regression > latencyLimit)
        {
            return new AbortDecision(LatencyRegression, string.Create(CultureInfo.InvariantCulture,
                $"latency p95 regression {regression:P1} > {latencyLimit:P1} after wave {wave + 1}: {kpis.Describe()}"));
        }

        if (options.AbortErrorRate is { } errorLimit && kpis.ErrorRate is { } errorRate && errorRate > errorLimit)
        {
            return new AbortDecision(ErrorRate, string.Create(CultureInfo.InvariantCulture,
                $"error rate {errorRate:P2} > {errorLimit:P2} after wave {wave + 1}: {kpis.Describe()}"));
        }

        return null;
    }
}
