namespace Edge.Agent.Protocol;

/// <summary>Inference figures of one model version and provider over one telemetry interval; latencies in milliseconds.</summary>
internal sealed record InferenceFigures
{
    public required string Model { get; init; }

    public required string Version { get; init; }

    public required string Provider { get; init; }

    public long Calls { get; init; }

    public long Errors { get; init; }

    public long QueueLength { get; init; }

    public double? P50Ms { get; init; }

    public double? P95Ms { get; init; }

    public double? P99Ms { get; init; }
}
