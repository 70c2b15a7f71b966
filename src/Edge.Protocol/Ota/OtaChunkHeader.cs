namespace Edge.Protocol.Ota;

/// <summary>
/// The JSON header of a chunk message, schema <c>edge.ota-chunk/1</c> (framing in <see cref="OtaChunkFrame"/>).
/// An answer with <see cref="Error"/> set carries no data.
/// </summary>
public sealed record OtaChunkHeader
{
    /// <summary>Always <see cref="OtaSchemas.Chunk"/>.</summary>
    public string Schema { get; set; } = OtaSchemas.Chunk;

    /// <summary>The job the chunk belongs to.</summary>
    public required string JobId { get; init; }

    /// <summary>The chunk index, 0 or more.</summary>
    public required int Index { get; init; }

    /// <summary>Byte offset of the chunk in the package.</summary>
    public long Offset { get; init; }

    /// <summary>Number of data bytes after the header.</summary>
    public int Length { get; init; }

    /// <summary>SHA-256 of the data bytes, 64 lowercase hex digits.</summary>
    public string? Sha256 { get; init; }

    /// <summary>
    /// Why the chunk cannot be served: <c>unknown-job</c>, <c>out-of-range</c> (the index lies past the end of the
    /// server's file: the package is shorter than the job says) or <c>bad-request</c>.
    /// </summary>
    public string? Error { get; init; }

    /// <summary>Size of the file the server holds, so a device can name a truncated package precisely.</summary>
    public long? ServerSize { get; init; }
}
