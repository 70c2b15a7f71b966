namespace Edge.Agent.Telemetry;

/// <summary>Telemetry payload compression.</summary>
internal enum PayloadCompressionKind
{
    None,
    Gzip,
}
