using Edge.Protocol;
using Edge.Protocol.Ota;

namespace Edge.Optimizer.Search.Device;

/// <summary>What one device measured: one bench result per model (the original first), or why it could not.</summary>
/// <param name="Device">The device id.</param>
/// <param name="Results">Per model, in the search's order; null where that model was not measured.</param>
/// <param name="Problems">Per model, why it was not measured; null where it was.</param>
/// <param name="MeasuredUtc">Per model, when the device reported its figures; null where it did not.</param>
internal sealed record DeviceMeasurement(string Device, IReadOnlyList<OtaBenchResult?> Results, IReadOnlyList<string?> Problems, IReadOnlyList<DateTimeOffset?> MeasuredUtc)
{
    /// <summary>The device's hardware class, from whichever result came back.</summary>
    public HardwareFacts? Hardware => Results.FirstOrDefault(r => r is not null)?.Hardware;

    /// <summary>Whether the original was measured, without which no ratio on this device means anything.</summary>
    public bool Usable => Results.Count > 0 && Results[0] is not null;

    /// <summary>
    /// Model <paramref name="index"/>'s p50 against the original's on this device. Each was timed beside the model the
    /// device serves, in its own job; where both jobs have that reference, the ratio is taken against it
    /// (candidate/served over original/served), which cancels what changed on the device between the two jobs.
    /// </summary>
    public double? RatioToOriginal(int index)
    {
        if (!Usable || Results[index] is not { } candidate)
        {
            return null;
        }

        var original = Results[0]!;
        return candidate.LatencyRatio is { } c && original.LatencyRatio is { } o && o > 0
            ? c / o
            : original.Candidate.P50Ms > 0 ? candidate.Candidate.P50Ms / original.Candidate.P50Ms : null;
    }
}
