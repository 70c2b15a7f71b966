using Edge.Optimizer.Data;
using Edge.Optimizer.Pipeline;
using Edge.Sdk.Processing.Preprocessing;

namespace Edge.Optimizer.Search.Device;

/// <summary>
/// Turns device measurements into the search's latency figures: each accurate model's p50 ratio to the original is its
/// worst over the devices measured (one per hardware class), so a candidate wins only if it is faster on every class.
/// A candidate a device could not run (it failed to load there, or gave no result in time) is marked failed with that
/// device's reason. Returns null outcomes when no device measured the original: the caller then measures locally.
/// </summary>
internal sealed class DeviceTargets(AutoOptions options, TargetSpec target, TimeProvider time)
{
    public async Task<(List<CandidateOutcome>? Outcomes, IReadOnlyList<string> Notes)> MeasureAsync(
        List<CandidateOutcome> outcomes, DataSample sample, PreprocessSpec? preprocess, string folder, PassContext context, CancellationToken cancellationToken)
    {
        var measured = outcomes.Where(o => o.Status == CandidateStatus.Measured).ToList();
        var latency = new DeviceLatency(options.Device!, target, time);
        IReadOnlyList<DeviceMeasurement> devices;
        IReadOnlyList<string> packages;
        IReadOnlyList<string> notes;
        try
        {
            (devices, packages, notes) = await latency.MeasureAsync(measured, options, sample, preprocess, folder, context, cancellationToken);
        }
        catch (Edge.Fleet.Bench.DeviceBenchUnavailableException e)
        {
            return (null, [$"{target} could not be reached ({e.Message})"]);
        }

        var usable = devices.Where(d => d.Usable).ToList();
        if (usable.Count == 0)
        {
            return (null, notes);
        }

        var result = new List<CandidateOutcome>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            var index = measured.IndexOf(outcome);
            if (index < 0)
            {
                result.Add(outcome);
                continue;
            }

            var missing = usable.FirstOrDefault(d => d.Results[index] is null);
            if (missing is not null)
            {
                result.Add(outcome with { Status = CandidateStatus.Failed, Reason = $"not measured on device {missing.Device}: {missing.Problems[index] ?? "no result"}" });
                continue;
            }

            var figures = usable.Select(d => Figure(d, index)).ToList();
            result.Add(outcome with { Devices = figures, P50Ratio = Math.Round(figures.Max(f => f.RatioToOriginal), 4), Package = packages[index] });
        }

        return (result, notes);
    }

    private static DeviceFigure Figure(DeviceMeasurement device, int index)
    {
        var bench = device.Results[index]!;
        var original = device.Results[0]!;
        var baseline = bench.Serving ?? original.Candidate;
        return new DeviceFigure(
            device.Device, bench.Hardware, bench.Provider, bench.Candidate.Runs, bench.Candidate.P50Ms, bench.Candidate.P95Ms,
            Math.Round(device.RatioToOriginal(index) ?? 1, 4), baseline.Model, baseline.P50Ms, baseline.P95Ms, device.MeasuredUtc[index] ?? DateTimeOffset.UnixEpoch);
    }
}
