namespace Edge.Fleet.Monitoring;

/// <summary>
/// What <see cref="TelemetryParser"/> made of one MQTT message: the valid records, and a reason for each part that
/// was malformed (the whole message, or single records of an otherwise good batch).
/// </summary>
public sealed record TelemetryParseResult(string? Device, IReadOnlyList<TelemetryRecord> Records, IReadOnlyList<string> Errors)
{
    public bool IsMalformed => Errors.Count > 0;
}
