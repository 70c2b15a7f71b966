using System.Text.Json.Serialization;

namespace Edge.Fleet.Bench;

/// <summary>Source-generated JSON metadata for <see cref="DeviceBenchReport"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DeviceBenchReport))]
internal sealed partial class DeviceBenchJsonContext : JsonSerializerContext;
