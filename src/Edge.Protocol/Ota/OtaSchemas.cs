namespace Edge.Protocol.Ota;

/// <summary>Versioned schema names of the OTA payloads; a breaking change gets a new number.</summary>
internal static class OtaSchemas
{
    public const string Job = "edge.ota-job/1";
    public const string SignedJob = "edge.ota-signed-job/1";
    public const string State = "edge.ota-state/1";
    public const string ChunkRequest = "edge.ota-chunk-request/1";
    public const string Chunk = "edge.ota-chunk/1";
}
