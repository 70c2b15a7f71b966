namespace Edge.Agent;

/// <summary>Periodic telemetry and its delivery.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Time between telemetry samples, 100 milliseconds to 1 day; changeable at run time by command. Default 10 seconds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most outbox records packed into one MQTT message, 1 to 1000. Default 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Most unacknowledged MQTT messages in flight while draining the outbox, 1 to 1000. Default 32.</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Payload compression: <c>none</c> (default) or <c>gzip</c>.</summary>
    public string Compression { get; set; } = "none";

    /// <summary>Root of the /proc and /sys trees to read system figures from; for tests and containers. Default <c>/</c>.</summary>
    public string SystemRoot { get; set; } = "/";

    /// <summary>File system whose usage is reported. Default <c>/</c>.</summary>
    public string DiskPath { get; set; } = "/";
}
