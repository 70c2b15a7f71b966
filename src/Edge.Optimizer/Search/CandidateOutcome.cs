using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Search.Device;

namespace Edge.Optimizer.Search;

/// <summary>What the search learned about one candidate. Null figures were not measured.</summary>
internal sealed record CandidateOutcome(Candidate Candidate, CandidateStatus Status)
{
    /// <summary>The candidate's model, kept in the search's folder.</summary>
    public string? Path { get; init; }

    public long? Bytes { get; init; }

    /// <summary>Top-1 on the judging samples, in [0, 1]; null without labels.</summary>
    public double? Top1 { get; init; }

    /// <summary>Share of judging samples whose top-1 equals the original's, in [0, 1].</summary>
    public double? Agreement { get; init; }

    /// <summary>Points lost against the original (top-1 with labels, else agreement).</summary>
    public double? DropPoints { get; init; }

    /// <summary>Latency on this machine (a local target).</summary>
    public LatencyStats? Latency { get; init; }

    /// <summary>The signed package the devices measured (a device or group target); null otherwise.</summary>
    public string? Package { get; init; }

    /// <summary>Latency on each target device (a device or group target); empty otherwise.</summary>
    public IReadOnlyList<DeviceFigure> Devices { get; init; } = [];

    /// <summary>p50 against the original's p50, measured side by side; on several devices, the worst device's.</summary>
    public double? P50Ratio { get; init; }

    /// <summary>The p50 behind <see cref="P50Ratio"/>: local, or on the device where the ratio is worst.</summary>
    public double? P50Ms => Latency?.P50Ms ?? Worst?.P50Ms;

    /// <summary>The p95 beside <see cref="P50Ms"/>.</summary>
    public double? P95Ms => Latency?.P95Ms ?? Worst?.P95Ms;

    private DeviceFigure? Worst => Devices.MaxBy(d => d.RatioToOriginal);

    /// <summary>Why it failed or was skipped.</summary>
    public string? Reason { get; init; }

    /// <summary>Seconds spent building and judging it.</summary>
    public double Seconds { get; init; }
}
