using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using MQTTnet;

namespace Edge.Agent.Tests.Support;

/// <summary>Reads <c>edge.telemetry/1</c> messages as a receiver would, gzip included.</summary>
internal static class TelemetryMessages
{
    public static JsonElement Document(MqttApplicationMessage message)
    {
        var bytes = message.Payload.ToArray();
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var input = new MemoryStream(bytes);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            bytes = output.ToArray();
        }

        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    public static IEnumerable<long> Sequences(MqttApplicationMessage message) =>
        Document(message).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).ToArray();

    public static IEnumerable<JsonElement> Records(MqttApplicationMessage message) =>
        Document(message).GetProperty("records").EnumerateArray().ToArray();
}
