namespace Edge.Fleet.Monitoring;

/// <summary>One telemetry record of a device: its outbox sequence number, when it was taken, and the sample.</summary>
public sealed record TelemetryRecord(string Device, long Seq, DateTimeOffset Timestamp, TelemetrySample Sample);
