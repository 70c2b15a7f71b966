namespace Edge.Fleet.Monitoring;

/// <summary>One stored telemetry row: a device's sample for one model version (or with no model). Latencies in ms.</summary>
internal sealed record TelemetryRow(
    string Device,
    long Seq,
    DateTimeOffset At,
    DateTimeOffset Received,
    string Model,
    string Version,
    long? Calls,
    long? Errors,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    double? CpuPercent,
    long? MemoryUsedBytes,
    long? MemoryTotalBytes,
    double? TemperatureCelsius);
