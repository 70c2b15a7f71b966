using System.Text.Json.Serialization;

namespace Edge.Agent.Capture;

/// <summary>Source-generated JSON for the capture folder's <c>settings.json</c> (Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CaptureSettings))]
internal sealed partial class CaptureJsonContext : JsonSerializerContext;
