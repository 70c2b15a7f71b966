namespace Edge.Fleet.Tests.Simulation;

/// <summary>How simulated devices start: model, version, latency, telemetry interval and OTA step time.</summary>
internal sealed record SimulationSettings
{
    public string Model { get; init; } = "mnist";

    public string InitialVersion { get; init; } = "1.0.0";

    public double BaseLatencyMs { get; init; } = 5.0;

    public TimeSpan TelemetryInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan OtaStepDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Inferences each device records per 100 ms.</summary>
    public int CallsPerTick { get; init; } = 5;
}
