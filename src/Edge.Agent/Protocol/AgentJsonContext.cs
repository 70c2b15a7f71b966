using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Edge.Agent.Protocol;

/// <summary>Source-generated JSON metadata for every payload, so serialization works under Native AOT and trimming.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(FiniteNumberJsonConverter)])]
[JsonSerializable(typeof(StatusPayload))]
[JsonSerializable(typeof(TelemetrySample))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(EdgeAgentOptions))]
[JsonSerializable(typeof(IReadOnlyList<LogRecordPayload>))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
