using System.Text.Json.Serialization;

namespace Edge.Protocol.Ota;

/// <summary>Source-generated JSON metadata for the OTA payloads, shared by agent and publisher (works under Native AOT).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(OtaJobDocument))]
[JsonSerializable(typeof(OtaSignedJob))]
[JsonSerializable(typeof(OtaJobStateReport))]
[JsonSerializable(typeof(OtaChunkRequest))]
[JsonSerializable(typeof(OtaChunkHeader))]
public sealed partial class OtaJsonContext : JsonSerializerContext;
