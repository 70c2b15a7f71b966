using System.Text.Json.Serialization;

namespace Edge.Fleet.Capture;

/// <summary>Source-generated JSON for <see cref="CapturePartial"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CapturePartial))]
internal sealed partial class CapturePartialJsonContext : JsonSerializerContext;
