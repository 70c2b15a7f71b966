namespace Edge.Protocol.Ota;

/// <summary>Values of <see cref="OtaChunkHeader.Error"/>.</summary>
internal static class OtaChunkErrors
{
    public const string UnknownJob = "unknown-job";
    public const string OutOfRange = "out-of-range";
    public const string BadRequest = "bad-request";
}
