using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Edge.Agent.Mqtt;
using Edge.Agent.Protocol;
using Edge.Agent.Storage;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Edge.Agent.Telemetry;

/// <summary>
/// Packs consecutive outbox records into one <c>edge.telemetry/1</c> message:
/// <c>{"schema":"edge.telemetry/1","fleet":..,"device":..,"records":[{"seq":n,"ts":..,"data":{..}}]}</c>.
/// With gzip the whole JSON document is compressed; MQTT 5 flags it with a <c>content-encoding: gzip</c> user
/// property, and on both versions the payload starts with the gzip magic bytes 1f 8b, which JSON never does.
/// </summary>
internal sealed class TelemetryBatchWriter
{
    public const string ContentType = "application/json";
    public const string ContentEncodingProperty = "content-encoding";
    public const string FirstSequenceProperty = "first-seq";

    private readonly TopicScheme _topics;
    private readonly PayloadCompressionKind _compression;
    private readonly MqttProtocolVersion _version;

    public TelemetryBatchWriter(TopicScheme topics, PayloadCompressionKind compression, MqttProtocolVersion version)
    {
        _topics = topics;
        _compression = compression;
        _version = version;
    }

    public MqttApplicationMessage Write(ReadOnlySpan<OutboxRecord> records)
    {
        var json = new ArrayBufferWriter<byte>(256 + (records.Length * 512));
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", ProtocolSchemas.Telemetry);
            writer.WriteString("fleet", _topics.FleetId);
            writer.WriteString("device", _topics.DeviceId);
            writer.WriteStartArray("records");
            foreach (var record in records)
            {
                writer.WriteStartObject();
                writer.WriteNumber("seq", record.Sequence);
                writer.WriteString("ts", DateTimeOffset.FromUnixTimeMilliseconds(record.EnqueuedUnixMilliseconds));
                writer.WritePropertyName("data");
                writer.WriteRawValue(record.Payload, skipInputValidation: true);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var payload = _compression == PayloadCompressionKind.Gzip ? Gzip(json.WrittenSpan) : json.WrittenSpan.ToArray();
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.Telemetry)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_version == MqttProtocolVersion.V500)
        {
            builder.WithContentType(ContentType)
                .WithUserProperty(FirstSequenceProperty, Encoding.UTF8.GetBytes(records[0].Sequence.ToString(CultureInfo.InvariantCulture)).AsMemory());
            if (_compression == PayloadCompressionKind.Gzip)
            {
                builder.WithUserProperty(ContentEncodingProperty, "gzip"u8.ToArray().AsMemory());
            }
        }

        return builder.Build();
    }

    private static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length / 2);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
