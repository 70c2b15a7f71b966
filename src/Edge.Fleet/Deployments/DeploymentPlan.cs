using System.Globalization;

namespace Edge.Fleet.Deployments;

/// <summary>What a deployment will do: its devices in wave order with their current model versions.</summary>
internal sealed record DeploymentPlan(
    string Id,
    string Group,
    string PackagePath,
    string PackageName,
    string PackageVersion,
    DeploymentOptions Options,
    IReadOnlyList<(string Device, int Wave, string? PreviousVersion, bool Online)> Devices)
{
    public int WaveCount => Devices.Count == 0 ? 0 : Devices.Max(d => d.Wave) + 1;

    /// <summary>A readable plan, one line per wave, for <c>--dry-run</c>.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"deployment {Id}: {PackageName} {PackageVersion} to group {Group} ({Devices.Count} devices, {WaveCount} waves, max {Options.MaxConcurrent} in flight)";
        // Invariant culture: the plan is read by operators and by scripts alike, whatever the machine's locale.
        var invariant = CultureInfo.InvariantCulture;
        yield return string.Create(invariant, $"abort if: failure rate > {Options.AbortFailureRate:P0} of a wave") +
            (Options.AbortLatencyP95Regression is { } l ? string.Create(invariant, $"; p95 latency regression > {l:P0}") : string.Empty) +
            (Options.AbortErrorRate is { } e ? string.Create(invariant, $"; error rate > {e:P2}") : string.Empty) +
            string.Create(invariant, $"; soak {Options.Soak.TotalSeconds:F0} s per wave; device timeout {Options.DeviceTimeout.TotalSeconds:F0} s") +
            (Options.Window is { } w ? $"; window {RolloutWindow.Parse(w)}" : string.Empty) +
            (Options.Shadow is { } s ? string.Create(invariant, $"; pooled shadow agreement of a wave < {s.MinAgreement:0.###}") : string.Empty);
        if (Options.Shadow is { } shadow)
        {
            yield return ShadowTally.Describe(shadow);
        }

        foreach (var wave in Devices.GroupBy(d => d.Wave).OrderBy(g => g.Key))
        {
            var list = wave.Select(d => d.Online ? d.Device : d.Device + "(offline)").ToArray();
            yield return $"wave {wave.Key + 1}: {list.Length} devices: {string.Join(", ", list.Take(20))}{(list.Length > 20 ? $", … {list.Length - 20} more" : string.Empty)}";
        }
    }
}
