using System.Text.Json.Serialization;

namespace Edge.Fleet.Connection;

/// <summary>Source-generated JSON metadata for the protocol payloads edge-fleet reads (docs/protocol.md).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(FiniteNumberJsonConverter)],
    WriteIndented = false)]
[JsonSerializable(typeof(StatusPayload))]
[JsonSerializable(typeof(TelemetrySample))]
internal sealed partial class FleetJsonContext : JsonSerializerContext;
