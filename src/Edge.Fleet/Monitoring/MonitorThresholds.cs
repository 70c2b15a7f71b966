namespace Edge.Fleet.Monitoring;

/// <summary>Limits above which the dashboard highlights a device. Null turns a check off.</summary>
internal sealed record MonitorThresholds
{
    /// <summary>p95 latency limit in milliseconds. Default off.</summary>
    public double? MaxP95Ms { get; init; }

    /// <summary>Errors per call in the latest interval, 0..1. Default 0.01 (1%).</summary>
    public double? MaxErrorRate { get; init; } = 0.01;

    /// <summary>CPU busy percentage. Default 90.</summary>
    public double? MaxCpuPercent { get; init; } = 90;

    /// <summary>Used memory percentage. Default 90.</summary>
    public double? MaxMemoryPercent { get; init; } = 90;

    /// <summary>Temperature in °C. Default 80.</summary>
    public double? MaxTemperatureCelsius { get; init; } = 80;

    public bool P95Breached(DeviceSnapshot d) => MaxP95Ms is { } max && d.P95Ms > max;

    public bool ErrorRateBreached(DeviceSnapshot d) => MaxErrorRate is { } max && d.ErrorRate > max;

    public bool CpuBreached(DeviceSnapshot d) => MaxCpuPercent is { } max && d.CpuPercent > max;

    public bool MemoryBreached(DeviceSnapshot d) => MaxMemoryPercent is { } max && d.MemoryPercent > max;

    public bool TemperatureBreached(DeviceSnapshot d) => MaxTemperatureCelsius is { } max && d.TemperatureCelsius > max;

    /// <summary>Whether any threshold is breached, or the device is offline or sent malformed telemetry.</summary>
    public bool AnyBreached(DeviceSnapshot d) =>
        !d.Online || d.Malformed > 0 || P95Breached(d) || ErrorRateBreached(d) || CpuBreached(d) || MemoryBreached(d) || TemperatureBreached(d);
}
