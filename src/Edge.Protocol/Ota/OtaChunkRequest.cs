namespace Edge.Protocol.Ota;

/// <summary>
/// A device asks for chunks, schema <c>edge.ota-chunk-request/1</c>, on <c>edge/{fleet}/{device}/ota/chunk-request</c>.
/// Chunk <c>i</c> is bytes <c>[i·chunkSize, min((i+1)·chunkSize, size))</c> of the package.
/// </summary>
public sealed record OtaChunkRequest
{
    /// <summary>Always <see cref="OtaSchemas.ChunkRequest"/>.</summary>
    public string Schema { get; set; } = OtaSchemas.ChunkRequest;

    /// <summary>The job whose package is downloaded.</summary>
    public required string JobId { get; init; }

    /// <summary>The package's SHA-256 from the job, so a server holding several packages answers from the right one.</summary>
    public required string PackageSha256 { get; init; }

    /// <summary>The job's chunk size in bytes, <see cref="OtaJobValidator.MinChunkSize"/> to <see cref="OtaJobValidator.MaxChunkSize"/>.</summary>
    public required int ChunkSize { get; init; }

    /// <summary>Chunk indexes wanted, at most 64 per request, in the order the device prefers.</summary>
    public required IReadOnlyList<int> Chunks { get; init; }
}
