namespace Edge.Protocol;

/// <summary>Inference figures of one model version and provider over one telemetry interval; latencies in milliseconds.</summary>
public sealed record InferenceFigures
{
    /// <summary>The model name.</summary>
    public required string Model { get; init; }

    /// <summary>The model version.</summary>
    public required string Version { get; init; }

    /// <summary>The execution provider that ran the calls, short lowercase name (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>).</summary>
    public required string Provider { get; init; }

    /// <summary>Runs completed in the interval, 0 or more.</summary>
    public long Calls { get; init; }

    /// <summary>Runs that failed in the interval, 0 or more.</summary>
    public long Errors { get; init; }

    /// <summary>Requests waiting (micro-batcher queue) when the sample was taken, 0 or more.</summary>
    public long QueueLength { get; init; }

    /// <summary>Median latency in milliseconds, nearest-rank over the interval; null when there were no calls.</summary>
    public double? P50Ms { get; init; }

    /// <summary>95th-percentile latency in milliseconds; null when there were no calls.</summary>
    public double? P95Ms { get; init; }

    /// <summary>99th-percentile latency in milliseconds; null when there were no calls.</summary>
    public double? P99Ms { get; init; }
}
