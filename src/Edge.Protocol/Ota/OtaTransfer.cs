namespace Edge.Protocol.Ota;

/// <summary>How the device fetches the package.</summary>
public sealed record OtaTransfer
{
    /// <summary>Default <see cref="ChunkSize"/>: 256 KiB.</summary>
    public const int DefaultChunkSize = 256 * 1024;

    /// <summary><c>mqtt</c> or <c>http</c> (<see cref="OtaTransferMethods"/>).</summary>
    public string Method { get; set; } = OtaTransferMethods.Mqtt;

    /// <summary>For <c>http</c>: an absolute http or https URL that answers Range requests.</summary>
    public string? Url { get; init; }

    /// <summary>Bytes per chunk, 4 KiB to 4 MiB; MQTT chunks are this size (the last may be shorter), and resume state is kept per chunk for both methods.</summary>
    public int ChunkSize { get; set; } = DefaultChunkSize;
}
