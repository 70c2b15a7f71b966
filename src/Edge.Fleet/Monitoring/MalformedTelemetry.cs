namespace Edge.Fleet.Monitoring;

/// <summary>A telemetry message (or record) that could not be read: which device sent it, when, and why.</summary>
internal sealed record MalformedTelemetry(string? Device, string Topic, DateTimeOffset Received, string Error);
