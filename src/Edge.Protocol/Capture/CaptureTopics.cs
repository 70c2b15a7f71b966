namespace Edge.Protocol.Capture;

/// <summary>
/// Topics of field-data capture (docs/protocol.md, "Field data capture"). The fleet asks a device for chunks of a
/// capture snapshot and the device answers with chunk frames: the OTA chunk protocol with the roles reversed.
/// </summary>
public static class CaptureTopics
{
    /// <summary><c>edge/{fleet}/{device}/capture/chunk-request</c>: the fleet asks a device for chunks of a snapshot (<c>edge.ota-chunk-request/1</c>).</summary>
    public static string ChunkRequest(string fleet, string device) => $"{TopicScheme.Root}/{fleet}/{device}/capture/chunk-request";

    /// <summary><c>edge/{fleet}/{device}/capture/chunk</c>: the device's chunk frames (<c>edge.ota-chunk/1</c>), data or error.</summary>
    public static string Chunk(string fleet, string device) => $"{TopicScheme.Root}/{fleet}/{device}/capture/chunk";
}
