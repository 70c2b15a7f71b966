namespace Edge.Protocol.Ota;

/// <summary>Versioned schema names of the OTA payloads; a breaking change gets a new number.</summary>
public static class OtaSchemas
{
    /// <summary>An unsigned job document (<see cref="OtaJobDocument"/>).</summary>
    public const string Job = "edge.ota-job/1";
    /// <summary>The envelope a job topic carries (<see cref="OtaSignedJob"/>).</summary>
    public const string SignedJob = "edge.ota-signed-job/1";
    /// <summary>A job state report (<see cref="OtaJobStateReport"/>).</summary>
    public const string State = "edge.ota-state/1";
    /// <summary>A device's request for package chunks (<see cref="OtaChunkRequest"/>).</summary>
    public const string ChunkRequest = "edge.ota-chunk-request/1";
    /// <summary>The header of a chunk answer (<see cref="OtaChunkHeader"/>).</summary>
    public const string Chunk = "edge.ota-chunk/1";
}
