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

    /// <summary>
    /// Input drift: the largest per-channel Gaussian KL divergence (nats) of the device's window from its package's
    /// reference. Default 0.5, a mean shift of one reference standard deviation at equal variance.
    /// </summary>
    public double? MaxDriftInput { get; init; } = DefaultMaxDriftInput;

    /// <summary>Confidence drift: PSI of the window's confidence histogram against the reference's. Default 0.25 (significant by the usual convention).</summary>
    public double? MaxDriftConfidencePsi { get; init; } = DefaultMaxDriftConfidencePsi;

    /// <summary>The default of <see cref="MaxDriftInput"/>.</summary>
    public const double DefaultMaxDriftInput = 0.5;

    /// <summary>The default of <see cref="MaxDriftConfidencePsi"/>.</summary>
    public const double DefaultMaxDriftConfidencePsi = 0.25;

    public bool P95Breached(DeviceSnapshot d) => MaxP95Ms is { } max && d.P95Ms > max;

    public bool ErrorRateBreached(DeviceSnapshot d) => MaxErrorRate is { } max && d.ErrorRate > max;

    public bool CpuBreached(DeviceSnapshot d) => MaxCpuPercent is { } max && d.CpuPercent > max;

    public bool MemoryBreached(DeviceSnapshot d) => MaxMemoryPercent is { } max && d.MemoryPercent > max;

    public bool TemperatureBreached(DeviceSnapshot d) => MaxTemperatureCelsius is { } max && d.TemperatureCelsius > max;

    public bool DriftInputBreached(DeviceSnapshot d) => MaxDriftInput is { } max && d.Drift?.InputDistance > max;

    public bool DriftConfidenceBreached(DeviceSnapshot d) => MaxDriftConfidencePsi is { } max && d.Drift?.ConfidencePsi > max;

    /// <summary>Whether any threshold is breached, or the device is offline or sent malformed telemetry.</summary>
    public bool AnyBreached(DeviceSnapshot d) =>
        !d.Online || d.Malformed > 0 || P95Breached(d) || ErrorRateBreached(d) || CpuBreached(d) || MemoryBreached(d) || TemperatureBreached(d)
        || DriftInputBreached(d) || DriftConfidenceBreached(d);

    /// <summary>The names of the checks <paramref name="d"/> breaches (<c>offline</c>, <c>p95</c>, <c>drift-input</c>...), for <c>--json</c>.</summary>
    public IReadOnlyList<string> Breaches(DeviceSnapshot d)
    {
        var breaches = new List<string>();
        void Check(bool breached, string name)
        {
            if (breached)
            {
                breaches.Add(name);
            }
        }

        Check(!d.Online, "offline");
        Check(d.Malformed > 0, "malformed");
        Check(P95Breached(d), "p95");
        Check(ErrorRateBreached(d), "error-rate");
        Check(CpuBreached(d), "cpu");
        Check(MemoryBreached(d), "memory");
        Check(TemperatureBreached(d), "temperature");
        Check(DriftInputBreached(d), "drift-input");
        Check(DriftConfidenceBreached(d), "drift-confidence");
        return breaches;
    }
}
