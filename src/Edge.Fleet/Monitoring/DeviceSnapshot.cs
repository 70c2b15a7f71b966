namespace Edge.Fleet.Monitoring;

/// <summary>One device row of the monitor: what its latest status and telemetry say. Latencies in milliseconds.</summary>
internal sealed record DeviceSnapshot
{
    public required string Device { get; init; }

    public bool Online { get; init; }

    /// <summary>The busiest model of the latest sample as <c>name@version</c>, else the status's first model.</summary>
    public string? Model { get; init; }

    public double? P50Ms { get; init; }

    public double? P95Ms { get; init; }

    /// <summary>p95 of the latest samples, oldest first (at most <see cref="FleetMonitorState.TrendLength"/>).</summary>
    public IReadOnlyList<double> P95Trend { get; init; } = [];

    public long Calls { get; init; }

    /// <summary>Errors in the latest sample's interval.</summary>
    public long Errors { get; init; }

    public long ErrorsTotal { get; init; }

    public double? CpuPercent { get; init; }

    public double? MemoryPercent { get; init; }

    public double? TemperatureCelsius { get; init; }

    public DateTimeOffset? LastTelemetry { get; init; }

    public long Malformed { get; init; }

    /// <summary>The latest sample's drift figures (docs/agent.md, "Drift"); null when the device reports none.</summary>
    public DriftFigures? Drift { get; init; }

    /// <summary>Errors in the latest interval as a fraction of its calls; null without calls.</summary>
    public double? ErrorRate => Calls > 0 ? (double)Errors / Calls : null;
}
