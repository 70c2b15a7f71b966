using System.Globalization;

namespace Edge.Fleet.Deployments;

/// <summary>
/// Shadow figures as the fleet keeps and shows them: per device the latest counts its reports carried
/// (<see cref="DeviceRollout.ShadowSamples"/>, <see cref="DeviceRollout.ShadowAgreements"/>), and per wave their pooled
/// agreement, the sum of agreements over the sum of samples of the wave's devices that reported figures.
/// </summary>
internal static class ShadowTally
{
    /// <summary>Summed samples and agreements of the devices with figures; (0, 0) when none has any.</summary>
    public static (long Samples, long Agreements) Pooled(IEnumerable<DeviceRollout> devices)
    {
        long samples = 0, agreements = 0;
        foreach (var device in devices)
        {
            if (device.ShadowSamples is { } count && count > 0)
            {
                samples += count;
                agreements += device.ShadowAgreements ?? 0;
            }
        }

        return (samples, agreements);
    }

    /// <summary><c>0.991 (496/500)</c>: agreement with agreements over samples; <c>n/a (0/0)</c> before the first sample.</summary>
    public static string Describe(long samples, long agreements) => samples > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{(double)agreements / samples:F3} ({agreements}/{samples})")
        : "n/a (0/0)";

    /// <summary>A device's figures as <see cref="Describe(long, long)"/> writes them, with its p95 ratio when known; null without figures.</summary>
    public static string? Describe(DeviceRollout device) => device.ShadowSamples is { } samples
        ? Describe(samples, device.ShadowAgreements ?? 0)
            + (device.ShadowP95Ratio is { } ratio ? string.Create(CultureInfo.InvariantCulture, $", p95 {ratio:F2}×") : string.Empty)
        : null;

    /// <summary>The pooled agreement of a wave's devices as <see cref="Describe(long, long)"/> writes it; null when none has figures.</summary>
    public static string? DescribeWave(IEnumerable<DeviceRollout> devices)
    {
        var (samples, agreements) = Pooled(devices);
        return samples > 0 ? Describe(samples, agreements) : null;
    }

    /// <summary>What a deployment's jobs ask of the shadow, for its plan and the single-job output.</summary>
    public static string Describe(OtaShadowRequest shadow) => string.Create(CultureInfo.InvariantCulture,
        $"shadow: {shadow.SampleFraction * 100:0.##}% of live calls on each device; a device promotes after {shadow.MinSamples} samples with agreement ≥ {shadow.MinAgreement:0.###} "
        + $"and candidate p95 ≤ {shadow.MaxLatencyRatio:0.##}× served, else rejects the candidate without serving it (timeout {shadow.TimeoutSeconds:F0} s)");
}
