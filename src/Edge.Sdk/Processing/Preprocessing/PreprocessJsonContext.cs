using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edge.Sdk.Processing.Preprocessing;

/// <summary>
/// Source-generated System.Text.Json metadata for <see cref="PreprocessSpec"/>: camelCase names, enums as strings,
/// comments and trailing commas allowed (specs are hand-written), unknown properties rejected so typos are caught.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PreprocessSpec))]
internal sealed partial class PreprocessJsonContext : JsonSerializerContext;
