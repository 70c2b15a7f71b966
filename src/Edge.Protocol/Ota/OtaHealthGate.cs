namespace Edge.Protocol.Ota;

/// <summary>
/// Thresholds of the health gate (before the new model serves) and of the watch window (after). Defaults apply to
/// members a job leaves out.
/// </summary>
public sealed record OtaHealthGate
{
    /// <summary>Refuse a package without golden samples. Default true.</summary>
    public bool RequireGoldenSamples { get; set; } = true;

    /// <summary>The new model's p95 latency on the golden inputs must be at most this multiple of the current model's, measured side by side. Default 1.2.</summary>
    public double MaxLatencyRatio { get; set; } = 1.2;

    /// <summary>Timed runs per model for the latency check, 5-10000. Default 60.</summary>
    public int LatencyRuns { get; set; } = 60;

    /// <summary>Seconds to watch live metrics after the switch before committing, 0-86400. Default 30.</summary>
    public double WatchWindowSeconds { get; set; } = 30;

    /// <summary>Live error rate (errors / calls of the new model) above which the watch rolls back, 0-1. Default 0.01.</summary>
    public double MaxErrorRate { get; set; } = 0.01;

    /// <summary>Live p95 above this multiple of the previous model's p95 (from the gate) rolls back. Default 1.5.</summary>
    public double MaxLiveLatencyRatio { get; set; } = 1.5;

    /// <summary>The watch judges only when the new model served at least this many calls; fewer means no evidence either way. Default 20.</summary>
    public int MinWatchCalls { get; set; } = 20;
}
