namespace Edge.Protocol;

/// <summary>Versioned schema names carried in every payload; a breaking change gets a new number.</summary>
public static class ProtocolSchemas
{
    /// <summary>The retained status message (<see cref="StatusPayload"/>).</summary>
    public const string Status = "edge.status/1";
    /// <summary>A telemetry record whose <c>data</c> is a <see cref="TelemetrySample"/>.</summary>
    public const string Telemetry = "edge.telemetry/1";
    /// <summary>A command request on <c>edge/{fleet}/{device}/cmd/{name}</c>.</summary>
    public const string CommandRequest = "edge.command/1";
    /// <summary>A command response (<see cref="Protocol.CommandResponse"/>).</summary>
    public const string CommandResponse = "edge.command-response/1";
}
