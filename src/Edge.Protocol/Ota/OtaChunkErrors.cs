namespace Edge.Protocol.Ota;

/// <summary>Values of <see cref="OtaChunkHeader.Error"/>.</summary>
public static class OtaChunkErrors
{
    /// <summary>The server holds no package for the request's job id and SHA-256.</summary>
    public const string UnknownJob = "unknown-job";
    /// <summary>The index lies past the end of the server's file: the package is shorter than the job says.</summary>
    public const string OutOfRange = "out-of-range";
    /// <summary>The request is malformed (chunk size, index list or schema).</summary>
    public const string BadRequest = "bad-request";
}
