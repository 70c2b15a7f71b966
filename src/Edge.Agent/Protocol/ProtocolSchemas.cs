namespace Edge.Agent.Protocol;

/// <summary>Versioned schema names carried in every payload; a breaking change gets a new number.</summary>
internal static class ProtocolSchemas
{
    public const string Status = "edge.status/1";
    public const string Telemetry = "edge.telemetry/1";
    public const string CommandRequest = "edge.command/1";
    public const string CommandResponse = "edge.command-response/1";
}
