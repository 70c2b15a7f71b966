namespace Edge.Fleet.Monitoring;

/// <summary>A device's latest drift figures as the telemetry store keeps them, with the time of the sample that carried them.</summary>
internal sealed record StoredDrift(string Device, DateTimeOffset At, DriftFigures Figures);
